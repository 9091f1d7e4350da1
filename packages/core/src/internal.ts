// '@corpus-proximity/core/internal': helpers that only our other packages (embedders, clusterers, namers, annotate,
// providers, cli) and bench/ need. Not part of the public API: names here may change without notice.
export { inDistribution, confidenceFromInDistribution } from './calibration/calibration.js';
export { MIN_CALIBRATION_CHUNKS } from './calibration/compute-calibration.js';
export { measureEvidence, LEXICAL_CANDIDATES, type EvidenceFeatures, type ChunkTermCache } from './calibration/measure-evidence.js';
export type { EmbeddingProgress } from './checkpoint/embedding-checkpoint.js';
export { longestOverlapSpan } from './lexical/lexical-index.js';
export { encodeNpy, type NpyDtype } from './index-format/encode-npy.js';
export { decodeNpy, type DecodedNpy } from './index-format/decode-npy.js';
export { INDEX_FILES } from './index-format/index-files.js';
export { createRandom, shuffleInPlace, createGaussian, createRandomSource, deriveSeed, type RandomSource } from './random.js';
export { readJsonlRecords, type JsonlRecord, type JsonlReadOptions } from './read/read-jsonl-records.js';
export { replaceIndexFiles, STAGING_FOLDER } from './index-format/replace-index-files.js';
export { sha256File, sha256Bytes } from './index-format/sha256-file.js';
export { writeFileAtomic, type WrittenFile } from './index-format/write-file-atomic.js';
export { outliersPerNode } from './tree/tree-quality.js';
export { SEARCH_INDEX_FILE } from './search/search-index-metadata.js';
export { loadUsearch, type UsearchIndex, type UsearchModule } from './search/load-usearch.js';
export { createRerankedSearch, rerank, type RerankedSearch } from './search/rerank-search.js';
export { buildSearchIndex, measureRecall, type BuildSearchIndexOptions } from './search/build-search-index.js';
export { embedChunks } from './pipeline/embed-chunks.js';
export { embedWithCheckpoints, type EmbedWithCheckpointsOptions, type EmbedWithCheckpointsResult } from './pipeline/embed-with-checkpoints.js';
export { abortableSleep } from './abortable-sleep.js';
