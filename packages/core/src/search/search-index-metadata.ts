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
  /**
   * Recall@10 measured at each ef tried when ef was chosen automatically (`expansionSearch: 'auto'`),
   * as [ef, recall] pairs in the order tried; absent when ef was given.
   */
  recall_by_ef?: Array<[number, number]>;
  recall_queries: number;
  recall_seed: number;
}

/** Settings of an HNSW build. */
export interface SearchIndexSettings {
  /** 'ip' (default; embeddings are unit rows, so it ranks like cosine with less work per distance) or 'cos'. */
  metric: SearchMetric;
  /**
   * i8 (default) or f16: the vectors kept in the graph. At 1M × 384 i8 measured the same recall@10
   * after exact re-ranking as f16, 2.5× faster queries, half the build time and 0.35× the raw size.
   */
  quantization: SearchQuantization;
  /** Graph degree M (default 16). */
  connectivity: number;
  /** Breadth while inserting, efConstruction (default 128). */
  expansionAdd: number;
  /**
   * Breadth while searching, ef, recorded as the default for searches. 'auto' (default): the
   * smallest of 64, 128, 256, 512 whose recall@10 on the sample reaches 0.97 (512 when none does;
   * 256 when recallQueries is 0). At 1M × 384 that is 256 (p50 0.77 ms), at 250K × 1024 64
   * (docs/benchmarks.md).
   */
  expansionSearch: number | 'auto';
  /** HNSW candidates re-ranked exactly, as a multiple of k, at most k + 100 (default 2). */
  rerankFactor: number;
  /** Sample queries for the recorded recall@10 (default 200; 0 skips the measurement). */
  recallQueries: number;
  /** Seeds the recall sample (default 42). */
  seed: number;
}

/** The ef values `expansionSearch: 'auto'` tries, smallest first. */
export const AUTO_EF_STEPS = [64, 128, 256, 512] as const;
/** The recall@10 `expansionSearch: 'auto'` looks for. */
export const AUTO_EF_TARGET_RECALL = 0.97;
/** ef used with 'auto' when recall is not measured (recallQueries 0). */
export const AUTO_EF_UNMEASURED = 256;

/** Defaults of an HNSW build (see docs/benchmarks.md for the figures behind them). */
export const defaultSearchIndexSettings: SearchIndexSettings = {
  metric: 'ip',
  quantization: 'i8',
  connectivity: 16,
  expansionAdd: 128,
  expansionSearch: 'auto',
  rerankFactor: 2,
  recallQueries: 200,
  seed: 42,
};
