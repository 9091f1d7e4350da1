import { readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { INDEX_FORMAT_VERSION, type IndexManifest } from './corpus-index.js';
import { InvalidIndexError } from '../errors.js';
import { INDEX_FILES } from './index-files.js';

const REBUILD = 'Run the same `corpus-proximity index` command again to rebuild it.';

/** Reads and checks manifest.json of an index folder; an absent, malformed or unknown manifest throws InvalidIndexError. */
export async function readIndexManifest(directory: string): Promise<IndexManifest> {
  const info = await stat(directory).catch(() => undefined);
  if (info === undefined) {
    throw new InvalidIndexError(`${directory}: no such index folder; check the path, or build an index with \`corpus-proximity index\``, { directory });
  }
  if (!info.isDirectory()) {
    throw new InvalidIndexError(`${directory}: not a folder; an index is a folder holding manifest.json, embeddings.npy, …`, { directory });
  }
  const file = INDEX_FILES.manifest;
  const text = await readFile(join(directory, file), 'utf8').catch((cause: NodeJS.ErrnoException) => {
    if (cause.code === 'ENOENT') {
      throw new InvalidIndexError(
        `${directory} has no manifest.json: the index is incomplete (was \`corpus-proximity index\` interrupted?). Run the same index command again to finish it.`,
        { directory, file, cause },
      );
    }
    throw cause;
  });
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (cause) {
    throw new InvalidIndexError(`${join(directory, file)} is not valid JSON (${(cause as Error).message}). ${REBUILD}`, { directory, file, cause });
  }
  const manifest = value as IndexManifest;
  if (typeof value !== 'object' || value === null || manifest.format !== 'corpus-proximity-index') {
    throw new InvalidIndexError(`${join(directory, file)} is not a corpus-proximity index manifest (no "format": "corpus-proximity-index")`, { directory, file });
  }
  if (!Number.isInteger(manifest.format_version) || manifest.format_version < 1) {
    throw new InvalidIndexError(`${join(directory, file)}: bad format_version ${JSON.stringify(manifest.format_version)}. ${REBUILD}`, { directory, file });
  }
  if (manifest.format_version > INDEX_FORMAT_VERSION) {
    throw new InvalidIndexError(
      `${directory} is index format version ${manifest.format_version}, written by corpus-proximity ${manifest.tool_version}; this version reads format ${INDEX_FORMAT_VERSION}. Upgrade corpus-proximity to load it.`,
      { directory, file },
    );
  }
  const problem = shapeProblem(manifest);
  if (problem !== undefined) throw new InvalidIndexError(`${join(directory, file)}: ${problem}. ${REBUILD}`, { directory, file });
  return manifest;
}

function shapeProblem(manifest: IndexManifest): string | undefined {
  const counts = manifest.counts as unknown as Record<string, unknown> | undefined;
  if (typeof counts !== 'object' || counts === null) return 'missing "counts"';
  for (const key of ['chunks', 'documents', 'sources', 'clusters', 'noise', 'max_depth']) {
    if (!Number.isInteger(counts[key]) || (counts[key] as number) < 0) return `counts.${key} is not a non-negative integer`;
  }
  if (!Number.isInteger(manifest.dimension) || manifest.dimension < 1) return `bad dimension ${JSON.stringify(manifest.dimension)}`;
  if (manifest.dtype !== 'float32' && manifest.dtype !== 'float16') return `unknown dtype ${JSON.stringify(manifest.dtype)}`;
  if (typeof manifest.embedder !== 'object' || manifest.embedder === null || typeof manifest.embedder.provider !== 'string') return 'missing "embedder"';
  if (typeof manifest.files !== 'object' || manifest.files === null) return 'missing "files"';
  for (const [name, entry] of Object.entries(manifest.files)) {
    if (typeof entry?.sha256 !== 'string' || !Number.isInteger(entry.bytes)) return `bad entry for ${name} in "files"`;
    if (name.startsWith('/') || name.split(/[\\/]/).some((part) => part === '..' || part === '')) return `file "${name}" lies outside the index folder`;
  }
  return undefined;
}
