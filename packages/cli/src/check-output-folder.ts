import { INDEX_FILES } from '@corpus-proximity/core/internal';
import { mkdir, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { OUTPUT_LOCK_FILE } from './output-lock.js';

/** Files and folders an index build writes into --output (what a build into a foreign folder would overwrite). */
export const INDEX_OUTPUT_NAMES: readonly string[] = [...Object.values(INDEX_FILES), 'build-log.json', '.work'];

/** An --output folder that cannot be used as it is: a file, not writable, full, or holding something else. */
export class OutputFolderError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'OutputFolderError';
  }
}

/** What the run will index, to tell our own index (rebuild, resume) from another corpus's. */
export interface OutputFolderCorpus {
  inputs: Array<{ path: string; stage?: string }>;
  precomputed?: { embeddings: string; chunks: string };
}

/**
 * Checks --output before any work: it must be a folder (created when missing) that we can write to,
 * and either empty, an interrupted run of ours (.work/ present), or an index of the same corpus.
 * A foreign non-empty folder or an index of another corpus is refused unless `force`.
 */
export async function checkOutputFolder(output: string, corpus: OutputFolderCorpus, options: { force?: boolean } = {}): Promise<void> {
  const info = await stat(output).catch((error: NodeJS.ErrnoException) => {
    if (error.code === 'ENOENT') return undefined;
    throw explainFileSystemError(error, output);
  });
  if (info && !info.isDirectory()) {
    throw new OutputFolderError(`--output ${output} is a file, not a folder; give a folder path (it is created when missing), e.g. --output ${output}-index`);
  }
  if (info) await checkContents(output, corpus, options.force ?? false);
  await probeWritable(output);
}

/** Turns ENOSPC, EACCES, EROFS, ENOTDIR, EISDIR, ENOENT about `path` into a message naming it and the fix. */
export function explainFileSystemError(error: NodeJS.ErrnoException, path: string): OutputFolderError {
  const where = error.path ?? path;
  switch (error.code) {
    case 'ENOSPC':
    case 'EDQUOT':
      return new OutputFolderError(`no space left on the device holding ${where}; free some space or choose another --output on a larger disk, then run the same command again (finished embedding checkpoints are kept)`);
    case 'EACCES':
    case 'EPERM':
      return new OutputFolderError(`permission denied writing ${where}; choose a folder you can write to with --output, or fix its permissions (chmod u+w)`);
    case 'EROFS':
      return new OutputFolderError(`${where} is on a read-only file system; choose a writable folder with --output`);
    case 'ENOTDIR':
      return new OutputFolderError(`${where}: a part of this path is a file, not a folder; choose an --output path whose parent folders are folders`);
    case 'EISDIR':
      return new OutputFolderError(`${where} is a folder where a file was expected; remove it or choose another path`);
    case 'ENOENT':
      return new OutputFolderError(`${where} does not exist; check the path`);
    default:
      return new OutputFolderError(`cannot use ${where}: ${error.message}`);
  }
}

/** Maps a file-system error met while writing the index (full disk, read-only, permissions) to a message naming the folder; other errors pass through. */
export function explainOutputWriteError(error: unknown, output: string): unknown {
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  if (typeof code !== 'string' || !['ENOSPC', 'EDQUOT', 'EROFS', 'EACCES', 'EPERM'].includes(code)) return error;
  const path = (error as NodeJS.ErrnoException).path;
  if (path !== undefined && !resolve(path).startsWith(resolve(output))) return error;
  return explainFileSystemError({ ...(error as NodeJS.ErrnoException), path: path ?? output }, output);
}

async function checkContents(output: string, corpus: OutputFolderCorpus, force: boolean): Promise<void> {
  const names = (await readdir(output).catch((error: NodeJS.ErrnoException) => {
    throw explainFileSystemError(error, output);
  })).filter((name) => !name.startsWith(OUTPUT_LOCK_FILE) && !name.startsWith('.write-test-') && name !== '.DS_Store');
  if (names.length === 0 || force) return;
  if (names.includes(INDEX_FILES.manifest)) {
    const recorded = await recordedCorpus(output);
    if (recorded === undefined || sameCorpus(recorded, corpus)) return;
    throw new OutputFolderError(
      `--output ${output} holds an index of another corpus (${describe(recorded)}); indexing ${describe(corpus)} there would replace it. ` +
        `Choose another --output, or pass --force to replace it.`,
    );
  }
  // An interrupted run of ours: resuming is the point of .work/.
  if (names.includes('.work')) return;
  const overwritten = names.filter((name) => INDEX_OUTPUT_NAMES.includes(name));
  const shown = names.slice(0, 8).join(', ') + (names.length > 8 ? `, … (${names.length} entries)` : '');
  throw new OutputFolderError(
    `--output ${output} is not empty and is not a corpus-proximity index (it holds ${shown}); ` +
      (overwritten.length > 0 ? `indexing would overwrite ${overwritten.join(', ')}. ` : 'indexing would write its files among them. ') +
      `Choose a new or empty folder, or pass --force to write into it anyway.`,
  );
}

async function recordedCorpus(output: string): Promise<OutputFolderCorpus | undefined> {
  try {
    const config = JSON.parse(await readFile(join(output, INDEX_FILES.config), 'utf8')) as { inputs?: OutputFolderCorpus['inputs']; precomputed?: OutputFolderCorpus['precomputed'] };
    return { inputs: config.inputs ?? [], precomputed: config.precomputed };
  } catch {
    // A damaged index of ours (no readable config.json) is ours to rebuild.
    return undefined;
  }
}

function sameCorpus(a: OutputFolderCorpus, b: OutputFolderCorpus): boolean {
  const key = (corpus: OutputFolderCorpus) =>
    JSON.stringify([corpus.inputs.map((input) => resolve(input.path)).sort(), corpus.precomputed ? [resolve(corpus.precomputed.embeddings), resolve(corpus.precomputed.chunks)] : null]);
  return key(a) === key(b);
}

function describe(corpus: OutputFolderCorpus): string {
  if (corpus.precomputed) return `--embeddings ${corpus.precomputed.embeddings}`;
  const paths = corpus.inputs.map((input) => input.path);
  return paths.length <= 3 ? paths.join(', ') : `${paths.slice(0, 3).join(', ')} and ${paths.length - 3} more`;
}

// Creating the folder and a probe file catches read-only mounts, permissions and a full disk before any embedding.
async function probeWritable(output: string): Promise<void> {
  const probe = join(output, `.write-test-${process.pid}`);
  try {
    await mkdir(output, { recursive: true }).catch(async (error: NodeJS.ErrnoException) => {
      // mkdir -p reports ENOENT on a read-only parent; a plain mkdir tells the real cause (EROFS, EACCES).
      if (error.code !== 'ENOENT') throw error;
      await mkdir(output);
    });
    await writeFile(probe, 'corpus-proximity write test\n');
  } catch (error) {
    throw explainFileSystemError(error as NodeJS.ErrnoException, output);
  } finally {
    await rm(probe, { force: true }).catch(() => undefined);
  }
}
