export { embedderFingerprint, stableStringify } from './embedder-fingerprint.js';
export { checkShardRanges, checkShardRows, rangeText, type ShardRange } from './check-embedding-shards.js';
export {
  openEmbeddingCheckpoint,
  checkpointPaths,
  shardFileName,
  type EmbeddingCheckpoint,
  type EmbeddingCheckpointIdentity,
  type EmbeddingProgress,
  type ShardEntry,
  type ShardWriter,
} from './embedding-checkpoint.js';
export { embeddingCacheFolder, readEmbeddingCache, writeEmbeddingCache, type EmbeddingCacheKey } from './embedding-cache.js';
