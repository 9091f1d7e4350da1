import { bruteForceKnn, squaredDistance, type KnnGraph } from '../knn/brute-force-knn.js';
import type { KdTree } from '../knn/kd-tree.js';
import { kdTreeKnn } from '../knn/kd-tree-knn.js';
import type { Matrix } from '../matrix.js';

/**
 * Each point's core distance: the Euclidean distance to its `minSamples`-th nearest neighbour,
 * the point itself counted as the first (as sklearn and R dbscan do). minSamples is clamped to n.
 * Uses the KD-tree when one is given, else blocked brute force; also returns the kNN graph.
 */
export function coreDistances(matrix: Matrix, minSamples: number, tree?: KdTree): { core: Float64Array; knn: KnnGraph } {
  const n = matrix.rows;
  const k = Math.max(1, Math.min(minSamples, n));
  const result = new Float64Array(n);
  const knn = tree ? kdTreeKnn(tree, k) : bruteForceKnn(matrix, k, 'euclidean');
  if (k === 1) return { core: result, knn };
  const { data, cols } = matrix;
  // recomputed in double precision so it agrees exactly with the distances the MST measures
  for (let i = 0; i < n; i++) {
    const neighbour = knn.indices[i * knn.k + k - 1] as number;
    result[i] = Math.sqrt(squaredDistance(data, i * cols, neighbour * cols, cols));
  }
  return { core: result, knn };
}
