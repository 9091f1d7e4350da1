export { loadUsearch, USEARCH_INSTALL_HINT, type UsearchIndex, type UsearchModule } from './load-usearch.js';
export { SEARCH_INDEX_FILE, defaultSearchIndexSettings, type SearchIndexMetadata, type SearchIndexSettings, type SearchQuantization } from './search-index-metadata.js';
export { createRerankedSearch, rerank, type RerankedSearch } from './rerank-search.js';
export { buildSearchIndex, measureRecall, type BuildSearchIndexOptions } from './build-search-index.js';
export { openSearchIndex, hasSearchIndex, buildSearchCommand, type OpenSearchIndexOptions, type OpenedSearchIndex } from './open-search-index.js';
export { selectSearchMode, AUTO_ANN_MIN_CHUNKS, type SearchMode } from './select-search-mode.js';
export { writeSearchIndex, addSearchIndex, type WriteSearchIndexOptions, type WriteSearchIndexResult } from './write-search-index.js';
