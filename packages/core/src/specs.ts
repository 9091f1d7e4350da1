import type { ProgressListener } from './types.js';

/** Files and settings an embedder needs to embed queries in the space it was fitted in. */
export interface EmbedderState {
  /** Small JSON-serializable settings (stored in manifest.json). */
  settings: Record<string, unknown>;
  /** Binary or text files, stored under the index's embedder/ folder. */
  files: Record<string, Uint8Array>;
}

/** An embedding model: turns texts into L2-normalized vectors. */
export interface EmbedderV1 {
  readonly specificationVersion: 'embedder-v1';
  /** Short provider name, e.g. "lsa", "onnx", "openai". */
  readonly provider: string;
  readonly modelId: string;
  readonly dimensions: number;
  /** Longest input in tokens the model takes. */
  readonly maxTokens: number;
  /** Most texts one doEmbed call may carry. */
  readonly maxEmbeddingsPerCall?: number;
  /** Token count with the model's own tokenizer, for token-window chunking (may need load() first). */
  countTokens?(text: string): number;
  /** Loads the model (and tokenizer) ahead of the first call; core awaits it before token-window chunking. */
  load?(): Promise<void>;
  /** Corpus-fitted embedders learn their space from the corpus documents before any doEmbed. */
  doFit?(options: { values: string[]; seed: number; onProgress?: ProgressListener; abortSignal?: AbortSignal }): Promise<void>;
  /** State to store in the index, so queries are embedded in the same space later. */
  exportState?(): EmbedderState;
  /** Embeds texts; queries may get a prefix, documents not. Vectors are L2-normalized. */
  doEmbed(options: {
    values: string[];
    inputType: 'query' | 'document';
    abortSignal?: AbortSignal;
  }): Promise<{ embeddings: Float32Array[] }>;
}

/** One level of clustering: core owns the recursion, the tree and the silhouette gating. */
export interface ClustererV1 {
  readonly specificationVersion: 'clusterer-v1';
  readonly id: string;
  doCluster(options: {
    vectors: Float32Array[];
    depth: number;
    seed: number;
    minClusterSize: number;
    minSamples: number;
    onProgress?: ProgressListener;
    abortSignal?: AbortSignal;
  }): Promise<{
    labels: Int32Array /* -1 = noise, clusters 0..k-1 */;
    reduced?: Float32Array[];
    /** Optional per-vector outlier score in [0, 1] (HDBSCAN's GLOSH), higher = more of an outlier. */
    outlierScores?: Float64Array;
  }>;
}

/** What a namer knows about the cluster it names. */
export interface NamingRequest {
  clusterId: string;
  depth: number;
  /** Representative texts: nearest the centroid first, then diverse ones. */
  samples: string[];
  /** Texts of every chunk in the cluster (or a large sample), for statistical namers. */
  texts: string[];
  /** The same for each sibling cluster (same parent), for contrastive naming. */
  siblingTexts: string[][];
  /** Names from the root's child down to the parent. */
  parentPath: string[];
  /** Names already given to siblings. */
  siblingNames: string[];
  abortSignal?: AbortSignal;
}

/** Gives a cluster a short human-readable name. */
export interface NamerV1 {
  readonly specificationVersion: 'namer-v1';
  readonly id: string;
  doName(request: NamingRequest): Promise<{ name: string; description?: string; naming?: string }>;
  /** Call counts and token usage so far, recorded in stats.json (LLM namers). */
  usage?(): object;
}
