import { InvalidIndexError, type ClusterNode, type CorpusIndex } from '@corpus-proximity/core';

/** A tree node with the names from the root's child down to it. */
export interface ClusterInfo {
  node: ClusterNode;
  /** Names from the root's child down to this node (empty for the root). */
  path: string[];
}

const cache = new WeakMap<CorpusIndex, Map<string, ClusterInfo>>();

/** Finds a cluster and its name path in an index's tree (computed once per index). */
export function lookupCluster(index: CorpusIndex, clusterId: string): ClusterInfo {
  let table = cache.get(index);
  if (!table) {
    table = buildTable(index.tree);
    cache.set(index, table);
  }
  const info = table.get(clusterId);
  if (!info) {
    throw new InvalidIndexError(
      `chunk_to_cluster.json names cluster "${clusterId}", which is not in tree.json; rebuild the index or restore its files`,
      { directory: index.directory, file: 'chunk_to_cluster.json' },
    );
  }
  return info;
}

/** Walks the tree once, recording every node's path of names below the root. */
function buildTable(root: ClusterNode): Map<string, ClusterInfo> {
  const table = new Map<string, ClusterInfo>();
  const stack: ClusterInfo[] = [{ node: root, path: [] }];
  while (stack.length > 0) {
    const info = stack.pop()!;
    table.set(info.node.cluster_id, info);
    for (const child of info.node.children) stack.push({ node: child, path: [...info.path, child.name] });
  }
  return table;
}
