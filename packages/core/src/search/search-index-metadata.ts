/** File name of the HNSW search index inside an index folder. */
export const SEARCH_INDEX_FILE = 'search.usearch';

/** Element type of the vectors stored in the HNSW graph (the exact re-ranking always uses embeddings.npy). */
export type SearchQuantization = 'f16' | 'i8';

/** Distance the HNSW graph is built with; both rank unit vectors the same way. */
export type SearchMetric = 'ip' | 'cos';

/** manifest.json's `search`: how the HNSW index was built, what it was built from, and its measured recall. */
export interface SearchIndexMetadata {
  kind: 'hnsw';
  library: 'usearch';
  library_version: string;
  /** Relative path of the usearch file (listed in manifest `files` with its checksum). */
  file: string;
  /**
   * Distance in the graph: 'ip' (inner product on the unit rows; default since it measured 25% less
   * build CPU than 'cos' at equal recall) or 'cos' (indexes built before). Results are the same
   * either way: candidates are re-ranked exactly.
   */
  metric: SearchMetric;
  quantization: SearchQuantization;
  connectivity: number;
  expansion_add: number;
  /** Default search breadth (ef) when loaded; the loader may override it. */
  expansion_search: number;
  /** Candidates re-ranked exactly against embeddings.npy, as a multiple of k (at most k + 100). */
  rerank_factor: number;
  /** Vectors in the graph; must equal the index's chunk count. */
  count: number;
  dimension: number;
  /** sha256 of the embeddings.npy it was built from; a rebuilt embeddings.npy makes it stale. */
  embeddings_sha256: string;
  /** Mean recall@10 of approximate-then-reranked search against exact search, on sample rows as queries (each query's own row left out). */
  recall_at_10: number;
  recall_queries: number;
  recall_seed: number;
}

/** Settings of an HNSW build. */
export interface SearchIndexSettings {
  /** 'ip' (default; embeddings are unit rows, so it ranks like cosine with less work per distance) or 'cos'. */
  metric: SearchMetric;
  /** f16 (default) or i8: the vectors kept in the graph. */
  quantization: SearchQuantization;
  /** Graph degree M (default 16). */
  connectivity: number;
  /** Breadth while inserting, efConstruction (default 128). */
  expansionAdd: number;
  /** Breadth while searching, ef (default 128: recall@10 ≥ 0.97 on the hard synthetic set of docs/benchmarks.md). */
  expansionSearch: number;
  /** HNSW candidates re-ranked exactly, as a multiple of k, at most k + 100 (default 2). */
  rerankFactor: number;
  /** Sample queries for the recorded recall@10 (default 200; 0 skips the measurement). */
  recallQueries: number;
  /** Seeds the recall sample (default 42). */
  seed: number;
}

/** Defaults of an HNSW build (see docs/benchmarks.md for the figures behind them). */
export const defaultSearchIndexSettings: SearchIndexSettings = {
  metric: 'ip',
  quantization: 'f16',
  connectivity: 16,
  expansionAdd: 128,
  expansionSearch: 128,
  rerankFactor: 2,
  recallQueries: 200,
  seed: 42,
};
