import type { CorpusIndex, CorpusIndexData, IndexManifest } from './corpus-index.js';
import { searchExact, searchExactMany } from './search.js';
import type { ClusterNode } from './types.js';

/** Wraps in-memory index data (loaded from disk or just built) as a searchable CorpusIndex. */
export function corpusIndexFromData(data: CorpusIndexData, options: { directory: string; manifest: IndexManifest }): CorpusIndex {
  const nodes = new Map<string, ClusterNode>();
  const stack: ClusterNode[] = [data.tree];
  while (stack.length > 0) {
    const node = stack.pop()!;
    nodes.set(node.cluster_id, node);
    stack.push(...node.children);
  }
  return {
    ...data,
    directory: options.directory,
    manifest: options.manifest,
    count: data.chunks.length,
    getNode: (clusterId) => nodes.get(clusterId),
    search: (query, k) => searchExact(data.embeddings, data.dimension, query, k),
    searchMany: (queries, k) => searchExactMany(data.embeddings, data.dimension, queries, k),
  };
}
