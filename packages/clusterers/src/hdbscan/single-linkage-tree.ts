import type { SpanningTree } from './prim-mst.js';

/**
 * A single-linkage dendrogram in SciPy's layout: merge i joins nodes `left[i]` and `right[i]`
 * (ids < n are points, id n+j is merge j) at `distance[i]`, giving a node of `size[i]` points.
 */
export interface SingleLinkageTree {
  n: number;
  left: Int32Array;
  right: Int32Array;
  distance: Float64Array;
  size: Int32Array;
}

/** Builds the single-linkage tree from a spanning tree: sort edges (stable), then union–find. */
export function singleLinkageTree(n: number, tree: SpanningTree): SingleLinkageTree {
  const edges = tree.weight.length;
  const order = Array.from({ length: edges }, (_, i) => i);
  order.sort((a, b) => (tree.weight[a] as number) - (tree.weight[b] as number) || a - b);
  const total = Math.max(1, 2 * n - 1);
  const parent = new Int32Array(total).fill(-1);
  const nodeSize = new Int32Array(total).fill(1);
  const left = new Int32Array(edges);
  const right = new Int32Array(edges);
  const distance = new Float64Array(edges);
  const size = new Int32Array(edges);
  const find = (x: number): number => {
    let root = x;
    while ((parent[root] as number) !== -1) root = parent[root] as number;
    // path compression
    while ((parent[x] as number) !== -1) {
      const up = parent[x] as number;
      parent[x] = root;
      x = up;
    }
    return root;
  };
  for (let i = 0; i < edges; i++) {
    const e = order[i] as number;
    const a = find(tree.from[e] as number);
    const b = find(tree.to[e] as number);
    const merged = n + i;
    left[i] = a;
    right[i] = b;
    distance[i] = tree.weight[e] as number;
    size[i] = (nodeSize[a] as number) + (nodeSize[b] as number);
    nodeSize[merged] = size[i] as number;
    parent[a] = merged;
    parent[b] = merged;
  }
  return { n, left, right, distance, size };
}
