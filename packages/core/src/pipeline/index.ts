export { buildCorpusIndex, BUILD_LOG_FILE, type BuildCorpusIndexOptions, type BuildCorpusIndexResult, type BuildLog, type EmbeddedCorpus } from './build-corpus-index.js';
export { embedChunks, checkVector } from './embed-chunks.js';
export { chunkCorpus, type ChunkingSettings } from './chunk-corpus.js';
export { embedWithCheckpoints, type EmbedWithCheckpointsOptions, type EmbedWithCheckpointsResult } from './embed-with-checkpoints.js';
export { readPrecomputedEmbeddings, type PrecomputedEmbeddings, type PrecomputedCorpus } from './read-precomputed-embeddings.js';
