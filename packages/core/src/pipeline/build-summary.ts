import { walkBreadthFirst, type ClusterTreeSettings } from '../tree/cluster-tree.js';
import type { CorpusIndexData } from '../index-format/corpus-index.js';
import type { NameClusterTreeResult } from '../naming/index.js';
import { treeQuality } from '../tree/tree-quality.js';
import type { ClusterNode } from '../types.js';
import type { BuildCorpusIndexOptions, EmbeddedCorpus } from './build-corpus-index.js';
import type { ChunkingSettings } from './chunk-corpus.js';

/**
 * stats.json of a built index. Nothing in it depends on timing or on how often the build was
 * interrupted (resumed rows count as embedded), so rebuilds are byte-identical.
 */
export function buildStats(input: Pick<EmbeddedCorpus, 'chunks' | 'documents' | 'sources' | 'skipped' | 'empty' | 'log' | 'duplicates'> & { tree: ClusterNode; fittedChunks: number; naming: NameClusterTreeResult & { usage?: object }; assignment?: CorpusIndexData['assignment']; treeKind?: string }) {
  const count = input.chunks.length;
  return {
    chunks: count,
    documents: input.documents,
    sources: input.sources,
    skipped_invalid_lines: input.skipped,
    empty_documents: input.empty,
    duplicate_chunks: input.duplicates ?? 0,
    ...treeStats(input.tree, count),
    // the tree was fitted on this many chunks; the others were routed down it (fitSample)
    fitted_chunks: input.fittedChunks,
    routed_chunks: count - input.fittedChunks,
    ...(input.assignment ? { tree_kind: input.treeKind ?? 'layers', tree_quality: treeQuality(input.tree, input.assignment) } : {}),
    naming: input.naming,
    embedding: {
      embedded: input.log.embedded,
      reused_from_cache: input.log.reused_from_cache,
      ...(input.log.precomputed > 0 ? { precomputed: input.log.precomputed } : {}),
    },
  };
}

/** config.json of a built index: the settings that decide its content (not checkpoint or cache locations). */
export function buildConfig(
  options: BuildCorpusIndexOptions,
  resolved: { seed: number; chunking: ChunkingSettings | null; clustering: ClusterTreeSettings; embedder: CorpusIndexData['embedder'] },
): Record<string, unknown> {
  return {
    seed: resolved.seed,
    chunking: resolved.chunking,
    max_chunks: options.maxChunks ?? null,
    text_field: options.textField ?? 'text',
    inputs: (options.inputs ?? []).map((input) => ({ path: input.path, stage: input.stage ?? 'pretrain' })),
    ...(options.precomputed ? { precomputed: { embeddings: options.precomputed.embeddings, chunks: options.precomputed.chunks } } : {}),
    embedder: { provider: resolved.embedder.provider, model_id: resolved.embedder.modelId, dimensions: resolved.embedder.dimensions },
    clusterer: options.clusterer.id,
    clustering: resolved.clustering,
    namer: options.namer.id,
    ...options.config,
  };
}

function treeStats(tree: ClusterNode, chunkCount: number) {
  const perDepth: Record<string, number> = {};
  let clusters = 0;
  let leaves = 0;
  let noise = 0;
  let maxDepth = 0;
  walkBreadthFirst(tree, (node) => {
    clusters++;
    noise += node.noise_count;
    if (node.depth === 0 && node.outlier_count !== undefined) noise += node.outlier_count; // layered tree: flagged outliers, each in a leaf
    maxDepth = Math.max(maxDepth, node.depth);
    perDepth[node.depth] = (perDepth[node.depth] ?? 0) + 1;
    if (node.children.length === 0) leaves++;
  });
  return { clusters, leaves, max_depth: maxDepth, nodes_per_depth: perDepth, noise, noise_fraction: chunkCount ? noise / chunkCount : 0 };
}
