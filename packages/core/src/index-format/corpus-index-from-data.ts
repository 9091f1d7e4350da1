import type { CorpusIndex, CorpusIndexData, IndexManifest } from './corpus-index.js';
import type { RerankedSearch } from '../search/rerank-search.js';
import { searchExact, searchExactMany } from '../search/search.js';
import type { ClusterNode } from '../types.js';

/** Wraps in-memory index data (loaded from disk or just built) as a searchable CorpusIndex; `search` makes it search approximately. */
export function corpusIndexFromData(data: CorpusIndexData, options: { directory: string; manifest: IndexManifest; search?: RerankedSearch }): CorpusIndex {
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
    search: options.search ? options.search.search : (query, k) => searchExact(data.embeddings, data.dimension, query, k),
    searchMany: options.search ? options.search.searchMany : (queries, k) => searchExactMany(data.embeddings, data.dimension, queries, k),
    searchMode: options.search ? 'ann' : 'exact',
  };
}
