import { createHash } from 'node:crypto';
import { checkShardRanges, checkShardRows, rangeText } from '../checkpoint/check-embedding-shards.js';
import { embedderFingerprint } from '../checkpoint/embedder-fingerprint.js';
import { readEmbeddingCache, writeEmbeddingCache, type EmbeddingCacheKey } from '../checkpoint/embedding-cache.js';
import { checkpointPaths, openEmbeddingCheckpoint, type EmbeddingCheckpoint, type ShardWriter } from '../checkpoint/embedding-checkpoint.js';
import { AbortedError } from '../errors.js';
import type { EmbedderV1 } from '../specs.js';
import type { ProgressListener } from '../types.js';
import { embedChunks } from './embed-chunks.js';
import { removeStaleTemporaryFiles } from './remove-stale-temporary-files.js';

/** Options of embedWithCheckpoints. */
export interface EmbedWithCheckpointsOptions {
  /** Holds progress.json and embeddings/shard_00000.npy, … (the build uses `<output>/.work`). */
  workDirectory: string;
  /** Rows per shard. */
  checkpointEvery: number;
  /** Embedding cache folder, or false for none. */
  cacheDirectory: string | false;
  /** Parts of the cache key besides the embedder (dtype, chunking settings). */
  cacheKey: Pick<EmbeddingCacheKey, 'dtype' | 'chunking'>;
  onProgress?: ProgressListener;
  onWarning?: (message: string) => void;
  abortSignal?: AbortSignal;
  /** Replaces the shard writer (tests simulate a full disk with it). */
  writeShard?: ShardWriter;
}

/** The embedded matrix and where its rows came from. */
export interface EmbedWithCheckpointsResult {
  /** Row-major N × dimension, checked: finite, L2-normalized, every row covered by exactly one shard. */
  embeddings: Float32Array;
  checkpoint: EmbeddingCheckpoint;
  /** Rows this build embedded (in this process or an interrupted earlier one); the same after a resume. */
  embedded: number;
  /** Rows this build took from the embedding cache; the same after a resume. */
  reusedFromCache: number;
  /** Rows read back from checkpoint shards of an interrupted run. */
  resumedFromCheckpoint: number;
  /** When this embedding run first started (kept across resumes). */
  startedAt: string;
}

/**
 * Embeds every chunk with crash-safe checkpoints: rows are written in shards of `checkpointEvery`
 * rows, recorded in progress.json, so a run killed at any point resumes from the last shard. Rows
 * are taken from verified shards first, then from the embedding cache, and only the rest is
 * embedded. The embedder must be fitted already (its fingerprint is part of the checkpoint's identity).
 */
export async function embedWithCheckpoints(embedder: EmbedderV1, chunks: readonly string[], options: EmbedWithCheckpointsOptions): Promise<EmbedWithCheckpointsResult> {
  const count = chunks.length;
  const dimension = embedder.dimensions;
  const every = Math.max(1, Math.floor(options.checkpointEvery));
  const digests = new Uint8Array(count * 32);
  const whole = createHash('sha256');
  chunks.forEach((text, row) => {
    const digest = createHash('sha256').update(text).digest();
    digests.set(digest, row * 32);
    whole.update(digest);
  });
  const chunksSha256 = whole.digest('hex');
  const embedderId = `${embedder.provider}:${embedder.modelId}`;
  const fingerprint = embedderFingerprint(embedder);
  const rows = new Float32Array(count * dimension);
  await removeStaleTemporaryFiles(options.workDirectory); // e.g. a progress.json half written when killed
  const checkpoint = await openEmbeddingCheckpoint({
    workDirectory: options.workDirectory,
    identity: { chunkCount: count, dimension, embedderId, embedderFingerprint: fingerprint, chunksSha256 },
    rows,
    onWarning: options.onWarning,
    writeShard: options.writeShard,
  });
  const resumed = checkpoint.rowsDone;
  if (resumed > 0) {
    options.onProgress?.({ stage: 'embed', done: resumed, total: count, message: `resumed rows ${rangeText(0, resumed)} from ${checkpoint.progress.shards.length} verified checkpoint shard(s)` });
  }

  const filled = new Uint8Array(count);
  filled.fill(1, 0, resumed);
  const cacheKey: EmbeddingCacheKey = { embedderId, embedderFingerprint: fingerprint, dimension, ...options.cacheKey };
  let cachedNow = 0;
  if (options.cacheDirectory !== false && resumed < count) {
    cachedNow = await readEmbeddingCache({ cacheDirectory: options.cacheDirectory, key: cacheKey, digests, rows, filled, onWarning: options.onWarning });
  }

  let embeddedNow = 0;
  for (let start = resumed; start < count; start += every) {
    if (options.abortSignal?.aborted) throw new AbortedError('embedding was cancelled');
    const end = Math.min(count, start + every);
    const missing: number[] = [];
    for (let row = start; row < end; row++) if (!filled[row]) missing.push(row);
    if (missing.length > 0) {
      const doneBefore = start + (end - start - missing.length);
      const vectors = await embedChunks(
        embedder,
        missing.map((row) => chunks[row]!),
        {
          rows: missing,
          abortSignal: options.abortSignal,
          onProgress: (event) => options.onProgress?.({ stage: 'embed', done: doneBefore + event.done, total: count }),
        },
      );
      missing.forEach((row, i) => rows.set(vectors.subarray(i * dimension, (i + 1) * dimension), row * dimension));
      embeddedNow += missing.length;
    }
    const shard = await checkpoint.appendShard(start, rows.subarray(start * dimension, end * dimension), { reusedFromCache: end - start - missing.length });
    options.onProgress?.({ stage: 'embed', done: end, total: count, message: `checkpoint ${shard.file} (rows ${rangeText(start, end)})` });
  }

  // The merged rows must tile [0, N) exactly, each shard finite and normalized (seed 003's checks).
  const shardsDirectory = checkpointPaths(options.workDirectory).shards;
  checkShardRanges(checkpoint.progress.shards, count, shardsDirectory);
  for (const shard of checkpoint.progress.shards) {
    checkShardRows(rows.subarray(shard.start * dimension, shard.end * dimension), [shard.end - shard.start, dimension], shard, {
      dimension,
      plugin: embedder.provider,
      directory: shardsDirectory,
    });
  }
  const reusedFromCache = checkpoint.progress.shards.reduce((sum, shard) => sum + (shard.reused_from_cache ?? 0), 0);
  if (resumed > 0 || cachedNow > 0) {
    const parts = [resumed > 0 ? `resumed ${resumed} from the checkpoint` : '', cachedNow > 0 ? `reused ${cachedNow} cached embeddings` : '', `embedded ${embeddedNow}`];
    options.onProgress?.({ stage: 'embed', done: count, total: count, message: `${parts.filter(Boolean).join(', ')} (of ${count} chunks)` });
  }
  if (options.cacheDirectory !== false && reusedFromCache < count) {
    await writeEmbeddingCache({ cacheDirectory: options.cacheDirectory, key: cacheKey, entryId: chunksSha256, digests, rows, onWarning: options.onWarning });
  }
  return {
    embeddings: rows,
    checkpoint,
    embedded: count - reusedFromCache,
    reusedFromCache,
    resumedFromCheckpoint: resumed,
    startedAt: checkpoint.progress.started_at,
  };
}
