/** A training stage a source belongs to: the usual three, or any name the user gives. */
export type CorpusStage = 'pretrain' | 'midtrain' | 'sft' | (string & {});

/** One document read from a corpus source, before chunking. */
export interface CorpusDocument {
  /** The document text, exactly as read (valid UTF-8). */
  text: string;
  /** File the document came from. */
  source: string;
  /** 1-based line number in a JSONL file; undefined for whole files. */
  line?: number;
  /** Training stage the source was tagged with. */
  stage: CorpusStage;
  /** Every other field of a JSONL record, kept as is. */
  metadata: Record<string, unknown>;
}

/** One chunk of a document: the unit that is embedded, clustered and searched. */
export interface Chunk {
  /** Row of the chunk in chunks.jsonl and embeddings.npy. */
  idx: number;
  text: string;
}

/** Provenance of one chunk, one line of metadata.jsonl. */
export interface ChunkMetadata {
  source: string;
  /** Index of the source file among the inputs (a "shard"). */
  shard_id: number;
  /** Index of the chunk within its document. */
  chunk_id: number;
  corpus_stage: CorpusStage;
  /** 1-based JSONL line of the document, when it came from JSONL. */
  line?: number;
  /** Character offsets of the chunk in its document's text. */
  char_start: number;
  char_end: number;
  /** The document's other fields. */
  [field: string]: unknown;
}

/** A node of the recursive cluster tree, as stored in tree.json. */
export interface ClusterNode {
  /** Dotted path from the root: "0" is the root, "0.2.1" the second child's first child. */
  cluster_id: string;
  name: string;
  description?: string;
  /** How the name was made: "keywords", "llm", or "keywords-fallback" when an LLM failed. */
  naming?: string;
  /** 0 for the root. */
  depth: number;
  /** Number of chunks in this node, noise included. */
  size: number;
  /** Mean silhouette of this node's chunks within its parent's split (cosine, original space); gating compares it with the threshold. Null for the root. */
  silhouette: number | null;
  /** Mean silhouette of this node's own split into its children; null when it was not split. */
  split_silhouette: number | null;
  /** Chunks of this node that HDBSCAN called noise when splitting it; they stay here. */
  noise_count: number;
  /** Layered tree: chunks under this node (descendants included) that the base clustering called noise; they sit in a leaf, flagged. */
  outlier_count?: number;
  /** Why the node has no children, when it has none. */
  leaf_reason?: 'max-depth' | 'too-small' | 'coherent' | 'no-clusters';
  /** Chunk indices nearest the centroid, nearest first (a few). */
  samples: number[];
  /** Row of this node's centroid in centroids.npy (breadth-first order). */
  centroid_row: number;
  children: ClusterNode[];
}

/** One annotation: a sentence of a model output linked to one of its nearest corpus clusters. */
export interface Annotation {
  /** The sentence, as it appears in the output. */
  textSpan: string;
  /** Character offsets of the sentence in the output text ([start, end)). */
  charStart: number;
  charEnd: number;
  /** Index of the sentence within the output. */
  sentenceIndex: number;
  clusterId: string;
  clusterName: string;
  clusterDepth: number;
  /** Names from the root's child down to this cluster. */
  clusterPath: string[];
  /** Cosine distance from the sentence to the nearest chunk of this cluster. */
  distance: number;
  /** 1 for the nearest cluster, 2 for the next, … */
  rank: number;
  corpusStage: CorpusStage | null;
  nearestChunkIdx: number;
  /** The nearest chunk's text (first 200 characters). */
  nearestChunkText: string;
  /** True when the nearest chunk was HDBSCAN noise in this cluster. */
  isNoise: boolean;
  /** GLOSH outlier score (0…1, higher = more of an outlier) of the nearest chunk in its cluster; layered trees only (null when unknown). */
  outlierScore?: number | null;
  /** What the span is: prose is matched; code and math spans are reported, never matched. */
  spanKind?: 'prose' | 'code' | 'math';
  /**
   * No word of the sentence occurs in the corpus (or it has none, or is code/math): then there is no
   * cluster (clusterId '', nearestChunkIdx −1, distance 1) and confidence is NO_EVIDENCE.
   */
  noEvidence?: boolean;
  /** Share of held-out corpus sentences that scored at least as far (1 = as close as the corpus's own text gets); null without calibration.json. Same for every rank of a sentence. */
  inDistribution?: number | null;
  /** HIGH | MEDIUM | LOW from inDistribution (or from raw distance bands when uncalibrated or overridden), or NO_EVIDENCE. */
  confidence?: 'HIGH' | 'MEDIUM' | 'LOW' | 'NO_EVIDENCE';
  /** Best word TF-IDF cosine (0..1) between the sentence and one of its dense candidate chunks. */
  lexicalScore?: number;
  /** Share of the sentence's words that occur in the corpus. */
  tokenCoverage?: number;
  /**
   * Longest verbatim word span shared with a chunk, with offsets in both (sentence offsets are into the output text): for rank 1 the
   * best chunk of the whole search (which may be root-level noise, outside every cluster), for other ranks their nearest chunk.
   */
  overlapSpan?: { chunkIdx: number; words: number; sentenceStart: number; sentenceEnd: number; chunkStart: number; chunkEnd: number } | null;
  /** Mean token logprob of the sentence, when the output came with per-token logprobs (see attachAvgLogprobs). */
  avgLogprob?: number;
}

/** The annotations of one model output. */
export interface AnnotatedOutput {
  prompt: string | null;
  text: string;
  annotations: Annotation[];
  /** Verdict of the whole output: from meanInDistribution (calibrated), the mean rank-1 distance (uncalibrated or --bands), NO_EVIDENCE when no sentence had evidence. */
  confidence?: 'HIGH' | 'MEDIUM' | 'LOW' | 'NO_EVIDENCE';
  /** Mean inDistribution of the prose sentences (no-evidence ones count 0; code and math spans are left out); null when uncalibrated or none. */
  meanInDistribution?: number | null;
  metadata: {
    timestamp: string;
    corpusIndexPath: string;
    k: number;
    phraseLevel: boolean;
    embedderId: string;
    /** How the verdict was made: 'held-out-sentences' or 'chunk-to-chunk' calibration, or 'raw-distance-bands'. */
    calibration?: string;
  };
}

/** Progress of a long step, for progress bars. */
export interface ProgressEvent {
  stage: 'read' | 'chunk' | 'fit' | 'embed' | 'cluster' | 'name' | 'write' | 'annotate' | (string & {});
  done: number;
  total?: number;
  message?: string;
}

/** Receives progress events. */
export type ProgressListener = (event: ProgressEvent) => void;
