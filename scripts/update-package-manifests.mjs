// One-off maintenance: every publishable package gets the same packaging fields
// (exports with types/import/default, main/types for node10 resolution, engines, repository, LICENSE in files).
import { readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

const root = new URL('..', import.meta.url).pathname;
for (const name of readdirSync(join(root, 'packages'))) {
  const file = join(root, 'packages', name, 'package.json');
  const manifest = JSON.parse(readFileSync(file, 'utf8'));
  const exportsMap = {};
  const typesVersions = {};
  for (const [subpath, target] of Object.entries(manifest.exports)) {
    const types = target.types;
    const js = target.import ?? target.default;
    exportsMap[subpath] = { types, import: js, default: js };
    if (subpath !== '.') typesVersions[subpath.slice(2)] = [types.replace(/^\.\//, '')];
  }
  const { exports: _exports, main: _main, types: _types, typesVersions: _tv, engines: _engines, repository: _repo, ...rest } = manifest;
  const ordered = {};
  for (const [key, value] of Object.entries(rest)) {
    ordered[key] = value;
    if (key === 'license') {
      ordered.main = exportsMap['.'].default;
      ordered.types = exportsMap['.'].types;
      if (Object.keys(typesVersions).length > 0) ordered.typesVersions = { '*': typesVersions };
      ordered.exports = exportsMap;
    }
  }
  ordered.files = [...new Set([...(manifest.files ?? ['dist']), 'README.md', 'LICENSE'])];
  ordered.engines = { node: '>=20.19' };
  ordered.repository = { type: 'git', url: 'github:corpus-proximity/corpus-proximity', directory: `packages/${name}` };
  writeFileSync(file, `${JSON.stringify(ordered, null, 2)}\n`);
}
