/** Names of the files of an index folder (format v1). */
export const INDEX_FILES = {
  manifest: 'manifest.json',
  embeddings: 'embeddings.npy',
  chunks: 'chunks.jsonl',
  metadata: 'metadata.jsonl',
  tree: 'tree.json',
  centroids: 'centroids.npy',
  chunkToCluster: 'chunk_to_cluster.json',
  stats: 'stats.json',
  config: 'config.json',
  /** Word document frequencies and the language model's description (optional; `calibrate` adds it). */
  lexical: 'lexical.json',
  /** The character language model's hashed count tables (optional). */
  lexicalModel: 'lexical-lm.bin',
  /** Held-out score distribution (optional; `calibrate` adds it). */
  calibration: 'calibration.json',
  /** Folder of the embedder's state files. */
  embedderFolder: 'embedder',
} as const;

/** Files every index has, besides manifest.json and the embedder's own files. */
export const REQUIRED_INDEX_FILES: readonly string[] = [
  INDEX_FILES.embeddings,
  INDEX_FILES.chunks,
  INDEX_FILES.metadata,
  INDEX_FILES.tree,
  INDEX_FILES.centroids,
  INDEX_FILES.chunkToCluster,
  INDEX_FILES.stats,
  INDEX_FILES.config,
];
