/** The built-in chunkers in one import (used by the pipeline). */
export { chunkParagraphs, type ParagraphChunkOptions } from './chunk-paragraphs.js';
export { chunkWordWindows, type WordWindowOptions } from './chunk-word-windows.js';
export { chunkDocuments, type ChunkedCorpus } from './chunk-documents.js';
export type { Chunker, TextChunk } from './text-chunk.js';
