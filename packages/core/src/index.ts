// The public surface of @corpus-proximity/core: what a user of the SDK, or an author of a plugin or harness, calls.
// Helpers that only our other packages need live behind '@corpus-proximity/core/internal' (src/internal.ts).
// Growing this list is a deliberate change: public-surface.test.ts lists it too.
export type { CorpusStage, CorpusDocument, Chunk, ChunkMetadata, ClusterNode, Annotation, AnnotatedOutput, ProgressEvent, ProgressListener } from './types.js';
export type { EmbedderState, EmbedderV1, ClustererV1, NamingRequest, NamerV1 } from './specs.js';
export {
  CorpusProximityError,
  InvalidInputError,
  InvalidIndexError,
  PluginError,
  UnsupportedSpecificationError,
  EmbedderMismatchError,
  AbortedError,
} from './errors.js';
export { checkSpecification, SUPPORTED_SPECIFICATIONS, type PluginKind } from './check-specification.js';
export { INDEX_FORMAT_VERSION, type CorpusIndex, type CorpusIndexData, type IndexManifest, type SearchHit, type ChunkAssignment } from './index-format/corpus-index.js';
export { corpusIndexFromData } from './index-format/corpus-index-from-data.js';
export { searchExact, searchExactMany } from './search/search.js';
export { buildCorpusIndex, type BuildCorpusIndexOptions, type BuildCorpusIndexResult } from './pipeline/build-corpus-index.js';
export type { ChunkingSettings } from './pipeline/chunk-corpus.js';
export { loadCorpusIndex, type LoadCorpusIndexOptions } from './index-format/load-corpus-index.js';
export { writeCorpusIndex, type WriteCorpusIndexOptions } from './index-format/write-corpus-index.js';
export { readIndexManifest } from './index-format/read-index-manifest.js';
export { calibrateCorpusIndex, type CalibrateCorpusIndexResult } from './calibration/calibrate-corpus-index.js';
export type { Calibration, CalibrationMethod, ConfidenceLevel } from './calibration/calibration.js';
export { addSearchIndex, type WriteSearchIndexOptions, type WriteSearchIndexResult } from './search/write-search-index.js';
export type { SearchIndexSettings, SearchIndexMetadata, SearchQuantization } from './search/search-index-metadata.js';
export type { SearchMode } from './search/select-search-mode.js';
export { readCorpus, type ReadCorpusOptions, type ReadCorpusResult } from './read/read-corpus.js';
export type { CorpusInput, CorpusSource } from './read/list-corpus-sources.js';
export type { TextChunk, Chunker } from './chunk/text-chunk.js';
export { chunkDocuments, type ChunkedCorpus } from './chunk/chunk-documents.js';
export { chunkParagraphs, type ParagraphChunkOptions } from './chunk/chunk-paragraphs.js';
export { chunkWordWindows, type WordWindowOptions } from './chunk/chunk-word-windows.js';
export { createTokenWindowSplitter, type TokenWindow, type TokenWindowOptions } from './chunk/create-token-window-splitter.js';
export { buildClusterTree, walkBreadthFirst, type ClusterTreeSettings, type ClusterTreeResult } from './tree/cluster-tree.js';
export { nameClusterTree, type NameClusterTreeOptions, type NameClusterTreeResult } from './naming/name-cluster-tree.js';
export { renameClusterTree, type RenameClusterTreeOptions } from './naming/rename-cluster-tree.js';
