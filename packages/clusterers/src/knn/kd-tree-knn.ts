import { squaredDistance, type KnnGraph } from './brute-force-knn.js';
import { boxDistanceSquared, boxToBoxSquared, leftChildFirst, pushChildren, type KdTree } from './kd-tree.js';
import { heapReplaceTop } from './knn-heap.js';

/**
 * Exact Euclidean k-nearest neighbours of every row with a KD-tree (self first, `k` counting it),
 * in the same layout as {@link bruteForceKnn}. Queries go leaf by leaf: the leaf's own points
 * first (a tight start), then one traversal for all its points, pruned by box-to-box distance
 * against the worst current k-th distance in the leaf, and per point by point-to-box distance.
 * Fast in low dimensions (≲ 16).
 */
export function kdTreeKnn(tree: KdTree, k: number): KnnGraph {
  const { rows: n, cols } = tree.matrix;
  const data = tree.sorted;
  const kk = Math.max(1, Math.min(k, n));
  const others = kk - 1;
  const indices = new Int32Array(n * kk);
  const distances = new Float32Array(n * kk);
  const heapDistance = new Float64Array(n * Math.max(1, others)).fill(Infinity);
  const heapIndex = new Int32Array(n * Math.max(1, others)).fill(-1);
  const stack = new Int32Array(256);
  const stackBound = new Float64Array(256);
  const centre = new Float64Array(cols);
  // heaps are kept per tree position (read in the order the tree stores the rows) and hold positions
  // `nodeBound`: the node's box-to-box distance from the leaf, a lower bound for each of its points
  const offerLeaf = (leaf: number, node: number, nodeBound: number): void => {
    for (let position = tree.start[leaf] as number; position < (tree.end[leaf] as number); position++) {
      const base = position * others;
      const point = position * cols;
      if (node !== leaf && (nodeBound >= (heapDistance[base] as number) || boxDistanceSquared(tree, node, data, point) >= (heapDistance[base] as number))) continue;
      for (let other = tree.start[node] as number; other < (tree.end[node] as number); other++) {
        if (other === position) continue;
        const d = squaredDistance(data, point, other * cols, cols);
        if (d < (heapDistance[base] as number)) heapReplaceTop(heapDistance, heapIndex, base, others, d, other);
      }
    }
  };
  const worstInLeaf = (leaf: number): number => {
    let worst = 0;
    for (let position = tree.start[leaf] as number; position < (tree.end[leaf] as number); position++) {
      worst = Math.max(worst, heapDistance[position * others] as number);
    }
    return worst;
  };
  if (others > 0) {
    for (let leaf = tree.firstLeaf; leaf < tree.nodeCount; leaf++) {
      if ((tree.end[leaf] as number) <= (tree.start[leaf] as number)) continue;
      for (let t = 0; t < cols; t++) centre[t] = ((tree.lower[leaf * cols + t] as number) + (tree.upper[leaf * cols + t] as number)) / 2;
      offerLeaf(leaf, leaf, 0);
      let bound = worstInLeaf(leaf);
      let depth = 0;
      stack[depth] = 0;
      stackBound[depth++] = 0;
      while (depth > 0) {
        depth--;
        const node = stack[depth] as number;
        if (node === leaf || (stackBound[depth] as number) >= bound) continue;
        if (node >= tree.firstLeaf) {
          offerLeaf(leaf, node, stackBound[depth] as number);
          bound = worstInLeaf(leaf);
          continue;
        }
        const left = 2 * node + 1;
        const leftBound = boxToBoxSquared(tree, leaf, left);
        const rightBound = boxToBoxSquared(tree, leaf, left + 1);
        depth = pushChildren(stack, stackBound, depth, left, leftBound, rightBound, leftChildFirst(tree, left, leftBound, rightBound, centre));
      }
    }
  }
  const slots: number[] = [];
  for (let position = 0; position < n; position++) {
    const p = tree.order[position] as number;
    const out = p * kk;
    const base = position * others;
    indices[out] = p;
    slots.length = 0;
    for (let t = 0; t < others; t++) {
      const at = heapIndex[base + t] as number;
      if (at >= 0) {
        heapIndex[base + t] = tree.order[at] as number;
        slots.push(t);
      }
    }
    slots.sort((a, b) => (heapDistance[base + a] as number) - (heapDistance[base + b] as number) || (heapIndex[base + a] as number) - (heapIndex[base + b] as number));
    slots.forEach((slot, t) => {
      indices[out + 1 + t] = heapIndex[base + slot] as number;
      distances[out + 1 + t] = Math.sqrt(heapDistance[base + slot] as number);
    });
  }
  return { k: kk, indices, distances };
}
