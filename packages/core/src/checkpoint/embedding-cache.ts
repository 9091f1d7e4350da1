import { access, readdir, readFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { decodeNpy } from '../index-format/decode-npy.js';
import { sha256Bytes } from '../index-format/sha256-file.js';
import { writeFileAtomic } from '../index-format/write-file-atomic.js';
import { writeNpyFile } from '../index-format/write-npy-file.js';
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
 * one entry to it: `<chunks sha256>.npy` (float32 rows), `<chunks sha256>.keys` (the 32-byte
 * sha256 of each row's chunk text, one after another) and, written last, `<chunks sha256>.sha256.json`
 * (sha256 and size of the other two, checked before any row is reused).
 */
export function embeddingCacheFolder(cacheDirectory: string, key: EmbeddingCacheKey): string {
  return join(cacheDirectory, sha256Bytes(stableStringify(key)).slice(0, 32));
}

/**
 * Fills rows of `rows` (N × dimension) whose chunk text is in the cache and whose `filled` flag is 0,
 * setting the flag to 1; `digests` holds the 32-byte sha256 of every chunk text (N × 32). Returns how
 * many rows were filled. An entry that fails its checksums or shape is deleted with a warning, so its
 * rows are embedded again.
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
      const sums = await readChecksums(join(folder, `${base}${CHECKSUMS_SUFFIX}`));
      const keys = await readFile(join(folder, name));
      checkBytes(keys, sums.keys, `${base}.keys`);
      const hits: Array<[cacheRow: number, rows: number[]]> = [];
      for (let cacheRow = 0; cacheRow * 32 < keys.length; cacheRow++) {
        const rows = wanted.get(keys.toString('hex', cacheRow * 32, cacheRow * 32 + 32));
        if (rows) hits.push([cacheRow, rows]);
      }
      if (hits.length === 0) continue;
      const bytes = new Uint8Array(await readFile(join(folder, `${base}.npy`)));
      checkBytes(bytes, sums.npy, `${base}.npy`);
      const decoded = decodeNpy(bytes, `${base}.npy`);
      if (decoded.shape[0] !== keys.length / 32 || decoded.shape[1] !== dimension) {
        throw new Error(`shape (${decoded.shape.join(', ')}) does not match ${keys.length / 32} keys of dimension ${dimension}`);
      }
      for (const [cacheRow, rows] of hits) {
        const vector = decoded.data.subarray(cacheRow * dimension, (cacheRow + 1) * dimension);
        wanted.delete(keys.toString('hex', cacheRow * 32, cacheRow * 32 + 32));
        for (const row of rows) {
          options.rows.set(vector, row * dimension);
          options.filled[row] = 1;
          reused++;
        }
      }
    } catch (error) {
      // A damaged entry would keep failing (or silently change the index): remove it, the rows are embedded again.
      await Promise.all([`${base}.keys`, `${base}.npy`, `${base}${CHECKSUMS_SUFFIX}`].map((file) => rm(join(folder, file), { force: true })));
      options.onWarning?.(`discarded embedding cache entry ${join(folder, base)}: ${(error as Error).message}; its rows will be embedded again`);
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
  if (await access(join(folder, `${options.entryId}${CHECKSUMS_SUFFIX}`)).then(() => true, () => false)) return;
  const count = options.digests.length / 32;
  try {
    const npy = await writeNpyFile(join(folder, `${options.entryId}.npy`), options.rows, [count, options.key.dimension], 'float32');
    const keys = await writeFileAtomic(keysPath, options.digests);
    // Written last: an entry without it is incomplete and is discarded on read.
    const sums: EntryChecksums = { npy: { sha256: npy.sha256, bytes: npy.bytes }, keys: { sha256: keys.sha256, bytes: keys.bytes } };
    await writeFileAtomic(join(folder, `${options.entryId}${CHECKSUMS_SUFFIX}`), `${JSON.stringify(sums)}\n`);
  } catch (error) {
    options.onWarning?.(`could not add ${count} embeddings to the cache in ${folder}: ${(error as Error).message}`);
  }
}

/** Suffix of a cache entry's checksum file. */
const CHECKSUMS_SUFFIX = '.sha256.json';

interface EntryChecksums {
  npy: { sha256: string; bytes: number };
  keys: { sha256: string; bytes: number };
}

async function readChecksums(path: string): Promise<EntryChecksums> {
  let value: EntryChecksums;
  try {
    value = JSON.parse(await readFile(path, 'utf8')) as EntryChecksums;
  } catch {
    throw new Error('no readable checksum file (an unfinished or older entry)');
  }
  if (typeof value?.npy?.sha256 !== 'string' || typeof value?.keys?.sha256 !== 'string') throw new Error('checksum file is malformed');
  return value;
}

function checkBytes(bytes: Uint8Array, expected: { sha256: string; bytes: number }, name: string): void {
  if (bytes.length !== expected.bytes) throw new Error(`${name} is ${bytes.length} bytes, expected ${expected.bytes}`);
  const actual = sha256Bytes(bytes);
  if (actual !== expected.sha256) throw new Error(`${name} checksum mismatch (expected sha256 ${expected.sha256}, got ${actual})`);
}
