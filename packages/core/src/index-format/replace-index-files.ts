import { mkdir, readdir, readFile, rename, rm, stat } from 'node:fs/promises';
import { join } from 'node:path';
import type { IndexManifest } from './corpus-index.js';
import { INDEX_FILES } from './index-files.js';
import { writeFileAtomic } from './write-file-atomic.js';

/** Staging folder of replaceIndexFiles inside an index folder. */
export const STAGING_FOLDER = '.replace';

/**
 * Replaces some top-level files of a complete index (e.g. tree.json, stats.json, config.json after
 * `rename`) so that a crash at any point leaves a loadable index: the new files and the new manifest
 * are staged in `<directory>/.replace/` (manifest last, the commit point), then moved into place,
 * manifest last. Before the commit point the old index is untouched; after it,
 * finishInterruptedReplace (run by loadCorpusIndex) completes the move. `beforeStep` lets tests
 * inject a crash. Returns the new manifest.
 */
export async function replaceIndexFiles(
  directory: string,
  manifest: IndexManifest,
  files: Record<string, string | Uint8Array>,
  options: { beforeStep?: (step: string) => void | Promise<void> } = {},
): Promise<IndexManifest> {
  await finishInterruptedReplace(directory);
  const staging = join(directory, STAGING_FOLDER);
  await rm(staging, { recursive: true, force: true });
  await mkdir(staging);
  const updated: IndexManifest = { ...manifest, files: { ...manifest.files } };
  for (const [name, content] of Object.entries(files)) {
    if (name.includes('/') || name === INDEX_FILES.manifest) throw new Error(`replaceIndexFiles: ${name} is not a top-level index file`);
    await options.beforeStep?.(`stage:${name}`);
    const written = await writeFileAtomic(join(staging, name), content);
    updated.files[name] = { sha256: written.sha256, bytes: written.bytes };
  }
  await options.beforeStep?.('stage:manifest.json');
  await writeFileAtomic(join(staging, INDEX_FILES.manifest), `${JSON.stringify(updated, null, 2)}\n`);
  await moveStaged(directory, options.beforeStep);
  return updated;
}

/**
 * Completes or discards a replaceIndexFiles that a crash interrupted: with a staged manifest the
 * staged files are moved into place (manifest last); without one the staging folder is removed
 * (the index was never touched). Returns true when it found something to do.
 */
export async function finishInterruptedReplace(directory: string): Promise<boolean> {
  const staging = join(directory, STAGING_FOLDER);
  if (!(await stat(staging).then((info) => info.isDirectory(), () => false))) return false;
  const committed = await readFile(join(staging, INDEX_FILES.manifest), 'utf8').then((text) => (JSON.parse(text), true), () => false);
  if (committed) await moveStaged(directory);
  else await rm(staging, { recursive: true, force: true });
  return true;
}

async function moveStaged(directory: string, beforeStep?: (step: string) => void | Promise<void>): Promise<void> {
  const staging = join(directory, STAGING_FOLDER);
  const names = (await readdir(staging)).filter((name) => name !== INDEX_FILES.manifest && !name.startsWith('.')).sort();
  for (const name of names) {
    await beforeStep?.(`commit:${name}`);
    await rename(join(staging, name), join(directory, name));
  }
  await beforeStep?.('commit:manifest.json');
  await rename(join(staging, INDEX_FILES.manifest), join(directory, INDEX_FILES.manifest)).catch((error: NodeJS.ErrnoException) => {
    if (error.code !== 'ENOENT') throw error;
  });
  await rm(staging, { recursive: true, force: true });
}
