import { bruteForceKnn, squaredDistance } from './brute-force-knn.js';
import type { Matrix } from './matrix.js';

/**
 * Each point's core distance: the Euclidean distance to its `minSamples`-th nearest neighbour,
 * the point itself counted as the first (as sklearn and R dbscan do). minSamples is clamped to n.
 */
export function coreDistances(matrix: Matrix, minSamples: number): Float64Array {
  const n = matrix.rows;
  const k = Math.max(1, Math.min(minSamples, n));
  const result = new Float64Array(n);
  if (k === 1) return result;
  const knn = bruteForceKnn(matrix, k, 'euclidean');
  const { data, cols } = matrix;
  // recomputed in double precision so it agrees exactly with the distances the MST measures
  for (let i = 0; i < n; i++) {
    const neighbour = knn.indices[i * knn.k + k - 1] as number;
    result[i] = Math.sqrt(squaredDistance(data, i * cols, neighbour * cols, cols));
  }
  return result;
}
