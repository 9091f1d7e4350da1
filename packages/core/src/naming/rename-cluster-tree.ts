import type { CorpusIndex } from '../index-format/corpus-index.js';
import type { NamerV1 } from '../specs.js';
import type { ClusterNode, ProgressListener } from '../types.js';
import { clusterMembers } from './cluster-members.js';
import { nameClusterTree, type NameClusterTreeResult } from './name-cluster-tree.js';

/** Options of renameClusterTree. */
export interface RenameClusterTreeOptions {
  namer: NamerV1;
  fallback?: NamerV1;
  /** Naming calls in flight at once (default 8). */
  concurrency?: number;
  /** Seed of sample selection; default the seed the index was built with (anything else changes the prompts). */
  seed?: number;
  onProgress?: ProgressListener;
  abortSignal?: AbortSignal;
}

/**
 * Names a stored index's tree again with another namer, asking exactly what `buildCorpusIndex`
 * asked (same seed, samples, texts, sibling context), so an LLM namer's cache answers every call of
 * an unchanged tree. Returns a renamed copy; the index itself is not changed.
 */
export async function renameClusterTree(index: CorpusIndex, options: RenameClusterTreeOptions): Promise<NameClusterTreeResult & { tree: ClusterNode }> {
  const tree = structuredClone(index.tree);
  const naming = (index.config.naming ?? {}) as { samplesPerCluster?: unknown };
  const seed = options.seed ?? (typeof index.config.seed === 'number' ? index.config.seed : 42);
  const result = await nameClusterTree(tree, {
    namer: options.namer,
    fallback: options.fallback,
    chunks: index.chunks,
    embeddings: index.embeddings,
    dimension: index.dimension,
    centroids: index.centroids,
    members: clusterMembers(index.assignment),
    concurrency: options.concurrency,
    samplesPerCluster: typeof naming.samplesPerCluster === 'number' ? naming.samplesPerCluster : undefined,
    seed,
    onProgress: options.onProgress,
    abortSignal: options.abortSignal,
  });
  return { ...result, tree };
}
