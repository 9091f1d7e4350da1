import { mkdir, readdir, readFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { decodeNpy } from '../index-format/decode-npy.js';
import { sha256Bytes } from '../index-format/sha256-file.js';
import { writeFileAtomic, type WrittenFile } from '../index-format/write-file-atomic.js';
import { writeNpyFile } from '../index-format/write-npy-file.js';
import { rangeText, type ShardRange } from './check-embedding-shards.js';

/** What the rows of a checkpoint depend on; resuming requires every field to be equal. */
export interface EmbeddingCheckpointIdentity {
  chunkCount: number;
  dimension: number;
  /** `${provider}:${modelId}` */
  embedderId: string;
  /** embedderFingerprint() of the embedder, after doFit for corpus-fitted ones. */
  embedderFingerprint: string;
  /** sha256 over the sha256 of every chunk text, in order. */
  chunksSha256: string;
}

/** One shard file listed in progress.json: its rows, checksum and size. */
export interface ShardEntry extends ShardRange {
  sha256: string;
  bytes: number;
  /** Rows of this shard taken from the embedding cache rather than embedded. */
  reused_from_cache: number;
}

/** progress.json of a checkpoint folder, rewritten atomically after every shard. */
export interface EmbeddingProgress {
  format: 'corpus-proximity-embedding-progress';
  version: 1;
  /** When this embedding run first started (kept across resumes). */
  started_at: string;
  chunk_count: number;
  dimension: number;
  embedder_id: string;
  embedder_fingerprint: string;
  chunks_sha256: string;
  /** Rows embedded so far: the end of the last shard. */
  rows_done: number;
  shards: ShardEntry[];
}

/** Writes one shard file (a float32 .npy of shape rows × dimension) atomically; replaceable in tests (e.g. to simulate a full disk). */
export type ShardWriter = (path: string, data: Float32Array, shape: readonly [number, number]) => Promise<WrittenFile>;

/** An open checkpoint: verified shards covering rows [0, rowsDone), and a way to add the next one. */
export interface EmbeddingCheckpoint {
  readonly progress: EmbeddingProgress;
  /** Rows [0, rowsDone) were read back from verified shards. */
  readonly rowsDone: number;
  /** Writes rows [start, start + rows/dimension) as the next shard, then records it in progress.json. */
  appendShard(start: number, rows: Float32Array, options?: { reusedFromCache?: number }): Promise<ShardEntry>;
  /** Deletes the shards and progress.json (after the index is written). */
  remove(): Promise<void>;
}

/** Where a checkpoint lives: `<workDirectory>/progress.json` and `<workDirectory>/embeddings/shard_00000.npy`, …. */
export function checkpointPaths(workDirectory: string) {
  return { progress: join(workDirectory, 'progress.json'), shards: join(workDirectory, 'embeddings') };
}

/** File name of the n-th shard: shard_00000.npy, shard_00001.npy, …. */
export function shardFileName(index: number): string {
  return `shard_${String(index).padStart(5, '0')}.npy`;
}

/**
 * Opens the embedding checkpoint under workDirectory. When progress.json matches `identity`, every
 * listed shard is verified (sha256, shape, contiguous rows from 0) and read into `rows` (the N × D
 * matrix being filled); the first bad shard and all after it are discarded with a warning, to be
 * embedded again. A different identity (other chunks, embedder or fitted state) starts over.
 * Shard files not listed in progress.json (a crash between a shard and its progress update) are removed.
 */
export async function openEmbeddingCheckpoint(options: {
  workDirectory: string;
  identity: EmbeddingCheckpointIdentity;
  rows: Float32Array;
  onWarning?: (message: string) => void;
  writeShard?: ShardWriter;
  now?: () => Date;
}): Promise<EmbeddingCheckpoint> {
  const { identity } = options;
  const paths = checkpointPaths(options.workDirectory);
  const writeShard: ShardWriter = options.writeShard ?? ((path, data, shape) => writeNpyFile(path, data, shape, 'float32'));
  const warn = options.onWarning ?? (() => undefined);
  let progress = await readProgress(paths.progress, warn);
  if (progress !== undefined) {
    const differences = identityDifferences(progress, identity);
    if (differences.length > 0) {
      warn(`the embedding checkpoint in ${options.workDirectory} was made for ${differences.join('; ')}: starting the embedding over`);
      progress = undefined;
    }
  }
  if (progress === undefined) {
    progress = {
      format: 'corpus-proximity-embedding-progress',
      version: 1,
      started_at: (options.now?.() ?? new Date()).toISOString(),
      chunk_count: identity.chunkCount,
      dimension: identity.dimension,
      embedder_id: identity.embedderId,
      embedder_fingerprint: identity.embedderFingerprint,
      chunks_sha256: identity.chunksSha256,
      rows_done: 0,
      shards: [],
    };
  } else {
    progress.shards = await verifyShards(progress, paths.shards, options.rows, warn);
    progress.rows_done = progress.shards.at(-1)?.end ?? 0;
  }
  await mkdir(paths.shards, { recursive: true });
  await removeUnlisted(paths.shards, progress.shards);
  await writeProgress(paths.progress, progress);

  const state = progress;
  return {
    progress: state,
    rowsDone: state.rows_done,
    async appendShard(start, rows, appendOptions = {}) {
      const count = rows.length / identity.dimension;
      if (start !== state.rows_done || !Number.isInteger(count) || count < 1 || start + count > identity.chunkCount) {
        throw new RangeError(`appendShard: rows ${start}+${count} do not continue the checkpoint at row ${state.rows_done} of ${identity.chunkCount}`);
      }
      const file = shardFileName(state.shards.length);
      let written: WrittenFile;
      try {
        written = await writeShard(join(paths.shards, file), rows, [count, identity.dimension]);
      } catch (cause) {
        const code = (cause as NodeJS.ErrnoException).code;
        const why = code === 'ENOSPC' ? 'the disk is full' : (cause as Error).message;
        throw Object.assign(
          new Error(
            `could not write embedding checkpoint ${join(paths.shards, file)} (rows ${rangeText(start, start + count)}): ${why}. ` +
              `The checkpoint up to row ${state.rows_done} is intact; ${code === 'ENOSPC' ? 'free some space and ' : ''}rerun the same command to resume.`,
            { cause },
          ),
          { code },
        );
      }
      const entry: ShardEntry = { file, start, end: start + count, sha256: written.sha256, bytes: written.bytes, reused_from_cache: appendOptions.reusedFromCache ?? 0 };
      state.shards.push(entry);
      state.rows_done = entry.end;
      await writeProgress(paths.progress, state);
      return entry;
    },
    async remove() {
      await rm(paths.shards, { recursive: true, force: true });
      await rm(paths.progress, { force: true });
    },
  };
}

async function readProgress(path: string, warn: (message: string) => void): Promise<EmbeddingProgress | undefined> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
  try {
    const value = JSON.parse(text) as EmbeddingProgress;
    if (value.format === 'corpus-proximity-embedding-progress' && value.version === 1 && Array.isArray(value.shards)) return value;
  } catch {
    // Reported below.
  }
  warn(`${path} is not a readable embedding checkpoint: starting the embedding over`);
  return undefined;
}

function identityDifferences(progress: EmbeddingProgress, identity: EmbeddingCheckpointIdentity): string[] {
  const differences: string[] = [];
  if (progress.chunk_count !== identity.chunkCount) differences.push(`${progress.chunk_count} chunks (now ${identity.chunkCount})`);
  else if (progress.chunks_sha256 !== identity.chunksSha256) differences.push('other chunk texts (the corpus or chunking changed)');
  if (progress.embedder_id !== identity.embedderId) differences.push(`embedder ${progress.embedder_id} (now ${identity.embedderId})`);
  else if (progress.embedder_fingerprint !== identity.embedderFingerprint) {
    differences.push('an embedder in another state (its settings or fitted state differ: a different seed, corpus or version?)');
  }
  if (progress.dimension !== identity.dimension) differences.push(`dimension ${progress.dimension} (now ${identity.dimension})`);
  return differences;
}

// Keeps the longest verified prefix of shards, reading their rows into `rows`.
async function verifyShards(progress: EmbeddingProgress, directory: string, rows: Float32Array, warn: (message: string) => void): Promise<ShardEntry[]> {
  const kept: ShardEntry[] = [];
  const dimension = progress.dimension;
  for (const [index, shard] of progress.shards.entries()) {
    const problem = await verifyShard(shard, index, kept.at(-1)?.end ?? 0, directory, dimension, progress.chunk_count, rows);
    if (problem !== undefined) {
      const later = progress.shards.length - index - 1;
      warn(
        `embedding checkpoint ${shard.file} (rows ${rangeText(shard.start, shard.end)}) ${problem}: discarded it${later > 0 ? ` and ${later} later shard(s)` : ''}; re-embedding from row ${shard.start}`,
      );
      break;
    }
    kept.push(shard);
  }
  return kept;
}

async function verifyShard(shard: ShardEntry, index: number, expectedStart: number, directory: string, dimension: number, chunkCount: number, rows: Float32Array) {
  if (shard.file !== shardFileName(index)) return `is listed as shard ${index} but named ${shard.file}`;
  if (shard.start !== expectedStart || !(shard.end > shard.start) || shard.end > chunkCount) return `does not continue the rows before it (expected a start at row ${expectedStart})`;
  let bytes: Uint8Array;
  try {
    bytes = new Uint8Array(await readFile(join(directory, shard.file)));
  } catch {
    return 'is missing';
  }
  if (bytes.length !== shard.bytes) return `is ${bytes.length} bytes, not ${shard.bytes} (truncated?)`;
  if (sha256Bytes(bytes) !== shard.sha256) return 'fails its sha256 check (corrupted or changed)';
  let decoded;
  try {
    decoded = decodeNpy(bytes, shard.file);
  } catch (error) {
    return `is not a valid .npy file (${(error as Error).message})`;
  }
  const count = shard.end - shard.start;
  if (decoded.shape.length !== 2 || decoded.shape[0] !== count || decoded.shape[1] !== dimension) {
    return `has shape (${decoded.shape.join(', ')}), expected (${count}, ${dimension})`;
  }
  rows.set(decoded.data, shard.start * dimension);
  return undefined;
}

async function removeUnlisted(directory: string, shards: readonly ShardEntry[]): Promise<void> {
  const listed = new Set(shards.map((shard) => shard.file));
  for (const name of await readdir(directory)) {
    if (!listed.has(name) && (/^shard_\d+\.npy$/.test(name) || /^\.shard_\d+\.npy\.tmp-/.test(name))) await rm(join(directory, name), { force: true });
  }
}

async function writeProgress(path: string, progress: EmbeddingProgress): Promise<void> {
  await writeFileAtomic(path, `${JSON.stringify(progress, null, 2)}\n`);
}
