export { buildCorpusIndex, type BuildCorpusIndexOptions, type BuildCorpusIndexResult } from './build-corpus-index.js';
export { embedChunks, checkVector } from './embed-chunks.js';
export { chunkCorpus, type ChunkingSettings } from './chunk-corpus.js';
