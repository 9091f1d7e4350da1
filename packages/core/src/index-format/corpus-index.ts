import type { Calibration } from '../calibration/calibration.js';
import type { LexicalIndex } from '../lexical/lexical-index.js';
import type { SearchIndexMetadata } from '../search/search-index-metadata.js';
import type { EmbedderState } from '../specs.js';
import type { ChunkMetadata, ClusterNode } from '../types.js';

/** The on-disk format version this code writes and reads. */
export const INDEX_FORMAT_VERSION = 1;

/** manifest.json of an index folder: written last, so its presence means the index is complete. */
export interface IndexManifest {
  format: 'corpus-proximity-index';
  format_version: number;
  created_at: string;
  tool_version: string;
  counts: {
    chunks: number;
    documents: number;
    sources: number;
    /** Tree nodes, root included. */
    clusters: number;
    /** Chunks that HDBSCAN called noise somewhere in the tree. */
    noise: number;
    /** Deepest node depth. */
    max_depth: number;
  };
  dimension: number;
  /** Element type of embeddings.npy. */
  dtype: 'float32' | 'float16';
  embedder: {
    /** `${provider}:${modelId}` */
    id: string;
    provider: string;
    model_id: string;
    dimensions: number;
    settings: Record<string, unknown>;
    /** Files under embedder/ (listed in `files` too). */
    state_files: string[];
  };
  /** sha256 and size of every other file of the index, by relative path. */
  files: Record<string, { sha256: string; bytes: number }>;
  /** The approximate (HNSW) search index, when one was built (its file is listed in `files`). */
  search?: SearchIndexMetadata;
}

/** Which chunks ended in which deepest cluster; noise chunks stay with the node that called them noise. */
export interface ChunkAssignment {
  /** clusters[chunkIdx] = deepest cluster id. */
  clusters: string[];
  /** Chunk indices that HDBSCAN called noise (their cluster is the node where that happened). */
  noise: number[];
  /** Layered tree: GLOSH outlier score per chunk (0–1, higher = more of an outlier; null for chunks routed outside a fitted sample). */
  outlier_scores?: Array<number | null>;
}

/** Everything an index folder holds, in memory. */
export interface CorpusIndexData {
  chunks: string[];
  metadata: ChunkMetadata[];
  /** Row-major N × dimension, L2-normalized. */
  embeddings: Float32Array;
  dimension: number;
  tree: ClusterNode;
  /** Row-major (tree nodes) × dimension, rows in breadth-first order of the tree (centroid_row). */
  centroids: Float32Array;
  assignment: ChunkAssignment;
  stats: Record<string, unknown>;
  config: Record<string, unknown>;
  embedder: {
    provider: string;
    modelId: string;
    dimensions: number;
    state?: EmbedderState;
  };
  documents: number;
  sources: number;
  /** Word frequencies and character language model of the chunks (lexical.json + lexical-lm.bin); absent in indexes written before them. */
  lexical?: LexicalIndex;
  /** Score distribution of held-out corpus text (calibration.json); absent when not computed or the corpus was too small. */
  calibration?: Calibration;
}

/** A loaded, validated index folder. */
export interface CorpusIndex extends CorpusIndexData {
  readonly directory: string;
  readonly manifest: IndexManifest;
  /** Number of chunks. */
  readonly count: number;
  /** Finds a tree node by its cluster id. */
  getNode(clusterId: string): ClusterNode | undefined;
  /**
   * Nearest chunks to an L2-normalized query, by cosine distance, nearest first: an exact scan, or
   * with searchMode 'ann' HNSW candidates re-ranked by their exact distances.
   */
  search(query: Float32Array, k: number): SearchHit[];
  /** The same for many queries at once (faster for batches). */
  searchMany(queries: readonly Float32Array[], k: number): SearchHit[][];
  /** How search and searchMany find neighbours: 'exact' (a scan) or 'ann' (HNSW, then exact re-ranking). */
  readonly searchMode?: 'exact' | 'ann';
}

/** One search result. */
export interface SearchHit {
  idx: number;
  /** Cosine distance, 1 − cosine similarity. */
  distance: number;
}
