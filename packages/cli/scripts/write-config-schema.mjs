// Writes configs/schema.json from the zod schema in src/config-schema.ts (run: pnpm config-schema).
import { build } from 'esbuild';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const here = fileURLToPath(new URL('.', import.meta.url));
const folder = mkdtempSync(join(tmpdir(), 'cp-schema-'));
try {
  const bundle = join(folder, 'config-schema.mjs');
  await build({ entryPoints: [join(here, '../src/config-schema.ts')], bundle: true, format: 'esm', platform: 'node', outfile: bundle, logLevel: 'error' });
  const { indexConfigJsonSchema } = await import(pathToFileURL(bundle).href);
  const target = join(here, '../../../configs/schema.json');
  writeFileSync(target, `${JSON.stringify(indexConfigJsonSchema(), null, 2)}\n`);
  process.stdout.write(`wrote ${target}\n`);
} finally {
  rmSync(folder, { recursive: true, force: true });
}
