import { InvalidInputError } from '@corpus-proximity/core';
import { condenseTree } from './condensed-tree.js';
import { selectClusters } from './cluster-selection.js';
import { coreDistances } from './core-distances.js';
import { toMatrix, type PointsInput } from './matrix.js';
import { primMutualReachabilityMst } from './prim-mst.js';
import { singleLinkageTree } from './single-linkage-tree.js';

/** Options of {@link hdbscan}; names and defaults follow the Python hdbscan library. */
export interface HdbscanOptions {
  /** Smallest group that counts as a cluster (≥ 2). */
  minClusterSize: number;
  /** Neighbours, the point itself included, whose distance is a point's core distance. Default minClusterSize. */
  minSamples?: number;
  /** 'eom' (excess of mass, default) or 'leaf' (the finest clusters). */
  clusterSelectionMethod?: 'eom' | 'leaf';
  /** Clusters born below this distance are merged into their first ancestor born above it. Default 0. */
  clusterSelectionEpsilon?: number;
  /** Allow the root (everything in one cluster) to be selected. Default false, as hdbscan. */
  allowSingleCluster?: boolean;
  metric?: 'euclidean';
}

/** Result of {@link hdbscan}: labels 0..k−1 numbered by each cluster's first point, −1 for noise. */
export interface HdbscanResult {
  labels: Int32Array;
  /** Membership strength in [0, 1] (0 for noise), as hdbscan's `probabilities_`. */
  probabilities: Float64Array;
  /** GLOSH outlier score in [0, 1]: higher is more of an outlier. */
  outlierScores: Float64Array;
}

/**
 * HDBSCAN* (Campello, Moulavi & Sander 2013; McInnes et al.'s hdbscan library semantics).
 * Memory stays O(n·minSamples): core distances come from an exact kNN (KD-tree in ≤ 16 dims,
 * blocked brute force above), and the mutual-reachability MST is built by Prim's algorithm over
 * implicit distances (O(n²) time, O(n) memory); the dense n×n matrix is never formed.
 */
export function hdbscan(points: PointsInput, options: HdbscanOptions): HdbscanResult {
  const matrix = toMatrix(points, 'hdbscan');
  const n = matrix.rows;
  const { minClusterSize } = options;
  if (!Number.isInteger(minClusterSize) || minClusterSize < 2) {
    throw new InvalidInputError(`hdbscan: minClusterSize must be an integer ≥ 2, got ${minClusterSize}`);
  }
  const minSamples = options.minSamples ?? minClusterSize;
  if (!Number.isInteger(minSamples) || minSamples < 1) {
    throw new InvalidInputError(`hdbscan: minSamples must be an integer ≥ 1, got ${minSamples}`);
  }
  const epsilon = options.clusterSelectionEpsilon ?? 0;
  if (!(epsilon >= 0)) throw new InvalidInputError(`hdbscan: clusterSelectionEpsilon must be ≥ 0, got ${epsilon}`);
  const method = options.clusterSelectionMethod ?? 'eom';
  if (method !== 'eom' && method !== 'leaf') {
    throw new InvalidInputError(`hdbscan: clusterSelectionMethod must be 'eom' or 'leaf', got ${String(method)}`);
  }
  if (options.metric !== undefined && options.metric !== 'euclidean') {
    throw new InvalidInputError(`hdbscan: only the 'euclidean' metric is supported, got ${String(options.metric)}; normalise rows first for cosine`);
  }
  const allowSingleCluster = options.allowSingleCluster ?? false;
  if (n < minClusterSize && !(allowSingleCluster && n > 0)) {
    return { labels: new Int32Array(n).fill(-1), probabilities: new Float64Array(n), outlierScores: new Float64Array(n) };
  }
  const core = coreDistances(matrix, Math.min(minSamples, n));
  const mst = primMutualReachabilityMst(matrix, core);
  const tree = condenseTree(singleLinkageTree(n, mst), minClusterSize);
  const selection = selectClusters(tree, { method, epsilon, allowSingleCluster });
  return { labels: selection.labels, probabilities: selection.probabilities, outlierScores: selection.outlierScores };
}
