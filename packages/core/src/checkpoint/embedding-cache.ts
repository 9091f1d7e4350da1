import { access, readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { decodeNpy } from '../decode-npy.js';
import { sha256Bytes } from '../sha256-file.js';
import { writeFileAtomic } from '../write-file-atomic.js';
import { writeNpyFile } from '../write-npy-file.js';
import { stableStringify } from './embedder-fingerprint.js';

/** What cached rows depend on besides the chunk text: rows are reused only when all of it is equal. */
export interface EmbeddingCacheKey {
  embedderId: string;
  embedderFingerprint: string;
  dimension: number;
  /** Element type the index stores the rows in. */
  dtype: string;
  /** The chunking settings (part of the key, so another chunking never mixes with these rows). */
  chunking: unknown;
}

/**
 * The folder of a cache key: `<cacheDirectory>/<32 hex digits>/`. Each finished embedding run adds
 * one entry to it: `<chunks sha256>.npy` (float32 rows) and `<chunks sha256>.keys` (the 32-byte
 * sha256 of each row's chunk text, one after another), the .keys file written last.
 */
export function embeddingCacheFolder(cacheDirectory: string, key: EmbeddingCacheKey): string {
  return join(cacheDirectory, sha256Bytes(stableStringify(key)).slice(0, 32));
}

/**
 * Fills rows of `rows` (N × dimension) whose chunk text is in the cache and whose `filled` flag is 0,
 * setting the flag to 1; `digests` holds the 32-byte sha256 of every chunk text (N × 32). Returns how
 * many rows were filled. Unreadable entries are skipped with a warning.
 */
export async function readEmbeddingCache(options: {
  cacheDirectory: string;
  key: EmbeddingCacheKey;
  digests: Uint8Array;
  rows: Float32Array;
  filled: Uint8Array;
  onWarning?: (message: string) => void;
}): Promise<number> {
  const folder = embeddingCacheFolder(options.cacheDirectory, options.key);
  const names = await readdir(folder).catch(() => [] as string[]);
  const wanted = new Map<string, number[]>();
  for (let row = 0; row < options.filled.length; row++) {
    if (options.filled[row]) continue;
    const hex = Buffer.from(options.digests.buffer, options.digests.byteOffset + row * 32, 32).toString('hex');
    const list = wanted.get(hex);
    if (list) list.push(row);
    else wanted.set(hex, [row]);
  }
  const { dimension } = options.key;
  let reused = 0;
  for (const name of names.filter((entry) => entry.endsWith('.keys')).sort()) {
    if (wanted.size === 0) break;
    const base = name.slice(0, -'.keys'.length);
    try {
      const keys = await readFile(join(folder, name));
      const hits: Array<[cacheRow: number, rows: number[]]> = [];
      for (let cacheRow = 0; cacheRow * 32 < keys.length; cacheRow++) {
        const hex = keys.toString('hex', cacheRow * 32, cacheRow * 32 + 32);
        const rows = wanted.get(hex);
        if (rows) {
          hits.push([cacheRow, rows]);
          wanted.delete(hex);
        }
      }
      if (hits.length === 0) continue;
      const decoded = decodeNpy(new Uint8Array(await readFile(join(folder, `${base}.npy`))), `${base}.npy`);
      if (decoded.shape[0] !== keys.length / 32 || decoded.shape[1] !== dimension) {
        throw new Error(`shape (${decoded.shape.join(', ')}) does not match ${keys.length / 32} keys of dimension ${dimension}`);
      }
      for (const [cacheRow, rows] of hits) {
        const vector = decoded.data.subarray(cacheRow * dimension, (cacheRow + 1) * dimension);
        for (const row of rows) {
          options.rows.set(vector, row * dimension);
          options.filled[row] = 1;
          reused++;
        }
      }
    } catch (error) {
      options.onWarning?.(`skipped embedding cache entry ${join(folder, base)}: ${(error as Error).message}`);
    }
  }
  return reused;
}

/**
 * Adds the rows of a finished embedding run to the cache as entry `<entryId>` (skipped when it is
 * already there). A failure (e.g. a full disk) is a warning, never fatal: the cache is only a shortcut.
 */
export async function writeEmbeddingCache(options: {
  cacheDirectory: string;
  key: EmbeddingCacheKey;
  entryId: string;
  digests: Uint8Array;
  rows: Float32Array;
  onWarning?: (message: string) => void;
}): Promise<void> {
  const folder = embeddingCacheFolder(options.cacheDirectory, options.key);
  const keysPath = join(folder, `${options.entryId}.keys`);
  if (await access(keysPath).then(() => true, () => false)) return;
  const count = options.digests.length / 32;
  try {
    await writeNpyFile(join(folder, `${options.entryId}.npy`), options.rows, [count, options.key.dimension], 'float32');
    await writeFileAtomic(keysPath, options.digests);
  } catch (error) {
    options.onWarning?.(`could not add ${count} embeddings to the cache in ${folder}: ${(error as Error).message}`);
  }
}
