import type { ClustererV1, EmbedderV1, NamerV1 } from '@corpus-proximity/core';
import { createUmapHdbscanClusterer } from '@corpus-proximity/clusterers';
import { createLsaEmbedder } from '@corpus-proximity/embedders';
import { createKeywordNamer } from '@corpus-proximity/namers';
import type { IndexConfig } from './index-config.js';
import { UsageError } from './usage-error.js';

/** The embedder an `--embedder` name stands for. */
export function resolveEmbedder(name: string, config: IndexConfig): EmbedderV1 {
  if (name === 'lsa') return createLsaEmbedder({ dimensions: config.dimensions ?? 256 });
  throw new UsageError(`--embedder ${name}: unknown embedder; available: lsa (offline TF-IDF + SVD)`);
}

/** The clusterer for the index command (UMAP + HDBSCAN with the config's UMAP settings). */
export function resolveClusterer(config: IndexConfig): ClustererV1 {
  return createUmapHdbscanClusterer({ ...config.umap });
}

/** The namer a `--namer` name stands for. */
export function resolveNamer(name: string): NamerV1 {
  if (name === 'keywords') return createKeywordNamer();
  throw new UsageError(`--namer ${name}: unknown namer; available: keywords (offline class-based TF-IDF)`);
}
