import { InvalidInputError, type ProgressListener } from '@corpus-proximity/core';
import { condenseTree, type FragmentHandling } from './condensed-tree.js';
import { selectClusters } from './cluster-selection.js';
import { boruvkaMutualReachabilityMst } from './boruvka-mst.js';
import { coreDistances } from './core-distances.js';
import { buildKdTree } from '../knn/kd-tree.js';
import { knnGraphMutualReachabilityMst } from './knn-graph-mst.js';
import { toMatrix, type Matrix, type PointsInput } from '../matrix.js';
import { nnDescent } from '../umap/nn-descent.js';
import { primMutualReachabilityMst, type SpanningTree } from './prim-mst.js';
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
  /**
   * MST algorithm. 'prim' and 'boruvka' are exact (they differ only in how exact ties are broken);
   * 'knn-graph' is approximate (NN-descent kNN, MST of the kNN graph, components joined through
   * samples). 'auto' (default): 'boruvka' when dims ≤ 16 and n > 2,000; 'knn-graph' when
   * dims > 16 and n > 20,000; else 'prim'.
   */
  algorithm?: 'auto' | 'prim' | 'boruvka' | 'knn-graph';
  /** Seed of the NN-descent used by 'knn-graph'. Default 42. */
  seed?: number;
  /**
   * A split's side smaller than minClusterSize: 'fall-out' (default; Campello et al. and the Python
   * hdbscan library) drops all its points at the split; 'shrink' keeps it in the cluster, its points
   * leaving one by one, as R's dbscan::hdbscan does (use it to reproduce R's labels).
   */
  fragments?: FragmentHandling;
  /** Progress of the three steps (stage 'hdbscan', done 0–3 of 3): neighbours, spanning tree (with Borůvka's rounds), clusters. */
  onProgress?: ProgressListener;
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
 * Memory stays O(n·minSamples); the dense n×n matrix is never formed. Which algorithms run:
 * - dims ≤ 16 and n > 2,000: KD-tree kNN for core distances, then KD-tree Borůvka for the
 *   mutual-reachability MST (roughly O(n log n) per round in low dimensions);
 * - dims > 16 and n > 20,000: approximate — NN-descent kNN, MST of the kNN graph, components
 *   joined through samples (see knn-graph-mst.ts);
 * - otherwise: blocked brute-force kNN, then Prim's algorithm over implicit mutual-reachability
 *   distances (O(n²·d) time, O(n) memory), exact in any dimension.
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
  if (options.algorithm !== undefined && !['auto', 'prim', 'boruvka', 'knn-graph'].includes(options.algorithm)) {
    throw new InvalidInputError(`hdbscan: algorithm must be 'auto', 'prim', 'boruvka' or 'knn-graph', got ${String(options.algorithm)}`);
  }
  if (options.fragments !== undefined && options.fragments !== 'fall-out' && options.fragments !== 'shrink') {
    throw new InvalidInputError(`hdbscan: fragments must be 'fall-out' or 'shrink', got ${String(options.fragments)}`);
  }
  const allowSingleCluster = options.allowSingleCluster ?? false;
  if (n < minClusterSize && !(allowSingleCluster && n > 0)) {
    return { labels: new Int32Array(n).fill(-1), probabilities: new Float64Array(n), outlierScores: new Float64Array(n) };
  }
  const mst = mutualReachabilityMst(matrix, Math.min(minSamples, n), options);
  options.onProgress?.({ stage: 'hdbscan', done: 2, total: 3, message: 'condensed tree and cluster selection' });
  const condensed = condenseTree(singleLinkageTree(n, mst), minClusterSize, options.fragments ?? 'fall-out');
  const selection = selectClusters(condensed, { method, epsilon, allowSingleCluster });
  options.onProgress?.({ stage: 'hdbscan', done: 3, total: 3, message: 'done' });
  return { labels: selection.labels, probabilities: selection.probabilities, outlierScores: selection.outlierScores };
}

/** Picks and runs the MST algorithm (see {@link HdbscanOptions.algorithm}). */
function mutualReachabilityMst(matrix: Matrix, minSamples: number, options: HdbscanOptions): SpanningTree {
  const n = matrix.rows;
  let algorithm = options.algorithm ?? 'auto';
  if (algorithm === 'auto') algorithm = matrix.cols <= 16 ? (n > 2000 ? 'boruvka' : 'prim') : n > 20_000 ? 'knn-graph' : 'prim';
  const report = options.onProgress;
  report?.({ stage: 'hdbscan', done: 0, total: 3, message: `${minSamples} nearest neighbours of ${n} points (${algorithm})` });
  const spanning = (detail = ''): void => report?.({ stage: 'hdbscan', done: 1, total: 3, message: `minimum spanning tree${detail}` });
  if (algorithm === 'boruvka') {
    const tree = buildKdTree(matrix);
    const { core, knn } = coreDistances(matrix, minSamples, tree);
    spanning();
    return boruvkaMutualReachabilityMst(tree, core, knn, (round, components) => spanning(`: Borůvka round ${round + 1}, ${components} components`));
  }
  if (algorithm === 'knn-graph') {
    const knn = nnDescent(matrix, Math.min(n, Math.max(minSamples, 16)), { seed: options.seed ?? 42 });
    const core = new Float64Array(n);
    for (let i = 0; i < n; i++) core[i] = knn.distances[i * knn.k + minSamples - 1] as number;
    spanning();
    return knnGraphMutualReachabilityMst(matrix, core, knn);
  }
  const { core } = coreDistances(matrix, minSamples);
  spanning();
  return primMutualReachabilityMst(matrix, core);
}
