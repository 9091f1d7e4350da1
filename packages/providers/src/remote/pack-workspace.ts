import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, readdir, readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

/** The tool as tarballs to install remotely; `key` names the exact build (same key, same install). */
export interface ToolPackage {
  key: string;
  tarballs: string[];
}

/** Finds the pnpm workspace this module was built in (a source checkout), or undefined for an npm install. */
export function findWorkspaceRoot(from = dirname(fileURLToPath(import.meta.url))): string | undefined {
  for (let directory = from; ; directory = dirname(directory)) {
    if (existsSync(join(directory, 'pnpm-workspace.yaml')) && existsSync(join(directory, 'packages'))) return directory;
    if (dirname(directory) === directory) return undefined;
  }
}

/**
 * `pnpm pack`s every package under <workspace>/packages (built dist/ included) into a cache folder keyed
 * by the packages' contents, so the remote host runs exactly this version and repacking is skipped.
 */
export async function packWorkspace(options: { workspaceRoot: string; cacheDirectory?: string; onProgress?: (message: string) => void }): Promise<ToolPackage> {
  const packagesDirectory = join(options.workspaceRoot, 'packages');
  const names = (await readdir(packagesDirectory)).filter((name) => existsSync(join(packagesDirectory, name, 'package.json'))).sort();
  const hash = createHash('sha256');
  for (const name of names) {
    const directory = join(packagesDirectory, name);
    const manifest = JSON.parse(await readFile(join(directory, 'package.json'), 'utf8')) as { files?: string[] };
    hash.update(`package ${name}\n`).update(await readFile(join(directory, 'package.json')));
    for (const entry of manifest.files ?? []) await hashTree(hash, join(directory, entry), `${name}/${entry}`);
  }
  const key = hash.digest('hex').slice(0, 16);
  const cacheDirectory = join(options.cacheDirectory ?? join(tmpdir(), 'corpus-proximity-packs'), key);
  if (!existsSync(join(cacheDirectory, '.complete'))) {
    const staging = `${cacheDirectory}.tmp-${process.pid}`;
    await rm(staging, { recursive: true, force: true });
    await mkdir(staging, { recursive: true });
    for (const name of names) {
      options.onProgress?.(`packing packages/${name}`);
      await promisify(execFile)('pnpm', ['pack', '--pack-destination', staging], { cwd: join(packagesDirectory, name) });
    }
    await writeFile(join(staging, '.complete'), '');
    // Another process may have packed the same build meanwhile: keep its folder (it may be reading it).
    await rename(staging, cacheDirectory).catch(async (error: NodeJS.ErrnoException) => {
      await rm(staging, { recursive: true, force: true });
      if (!existsSync(join(cacheDirectory, '.complete'))) throw error;
    });
  }
  const tarballs = (await readdir(cacheDirectory)).filter((name) => name.endsWith('.tgz')).map((name) => join(cacheDirectory, name));
  return { key, tarballs };
}

async function hashTree(hash: ReturnType<typeof createHash>, path: string, label: string): Promise<void> {
  const info = await stat(path).catch(() => undefined);
  if (info === undefined) return;
  if (info.isDirectory()) {
    for (const name of (await readdir(path)).sort()) await hashTree(hash, join(path, name), `${label}/${name}`);
    return;
  }
  hash.update(`file ${label} ${info.size}\n`).update(await readFile(path));
}
