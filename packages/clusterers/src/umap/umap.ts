import { AbortedError, InvalidInputError, type ProgressListener } from '@corpus-proximity/core';
import { bruteForceKnn, type KnnGraph, type Metric } from '../knn/brute-force-knn.js';
import { findAbParams } from './find-ab-params.js';
import { fuzzySimplicialSet } from './fuzzy-simplicial-set.js';
import { nnDescent } from './nn-descent.js';
import { toMatrix, type PointsInput } from '../matrix.js';
import { optimizeLayout } from './optimize-layout.js';
import { pcaProject } from './pca.js';
import { createRandomSource, type RandomSource } from '@corpus-proximity/core/internal';

/** Options of {@link umap}; defaults follow umap-learn. */
export interface UmapOptions {
  nComponents?: number;
  /** Neighbourhood size, the point itself included (as umap-learn). Default 15. */
  nNeighbors?: number;
  minDist?: number;
  spread?: number;
  metric?: Metric;
  seed?: number;
  /** Default 500 for n ≤ 10,000, else 200 (umap-learn's rule). */
  nEpochs?: number;
  /** 'pca' (default: deterministic, keeps global structure) or 'random' (uniform in [−10, 10]). */
  init?: 'pca' | 'random';
  /**
   * Power iterations of the PCA init (randomized subspace iteration). Default 2: fast, but on text
   * embeddings the start's randomness then shows in the layout's global arrangement; 30 converges
   * there, so two seeds differ only by the layout's SGD (docs/clustering.md, "Stability").
   */
  initIterations?: number;
  /** An initial layout computed elsewhere (n × nComponents, before scaling to the box), e.g. one PCA shared by several runs; overrides `init`. */
  initialCoordinates?: Float64Array;
  negativeSampleRate?: number;
  /**
   * How neighbours are found: 'exact' (blocked brute force, O(n²·d)), 'nn-descent' (approximate,
   * recall ≈ 0.96 at 10K × 256-d, seeded), or 'auto' (default: exact up to 4,096 points).
   */
  knnMethod?: 'auto' | 'exact' | 'nn-descent';
  /** A kNN graph computed elsewhere (self first, k ≥ 2); skips the search. */
  knn?: KnnGraph;
  onProgress?: ProgressListener;
  abortSignal?: AbortSignal;
}

/** Up to this many points knnMethod 'auto' searches neighbours exactly; above it, by NN-descent. */
export const EXACT_KNN_MAX_POINTS = 4096;

/** Whether UMAP finds the neighbours of `n` points by NN-descent (approximate) under `method`. */
export function searchesByNnDescent(method: UmapOptions['knnMethod'], n: number): boolean {
  return !(method === 'exact' || ((method ?? 'auto') === 'auto' && n <= EXACT_KNN_MAX_POINTS));
}

/**
 * UMAP (McInnes, Healy & Melville 2018) reimplemented after umap-learn 0.5: kNN (exact blocked brute
 * force, or NN-descent above 4,096 points; Euclidean or cosine), fuzzy simplicial set, a/b fitted to minDist, PCA or random init
 * scaled to [0, 10], then SGD with negative sampling (float32 rows, as umap-learn; the per-edge work
 * runs in WebAssembly SIMD kernels where available). Single-threaded and seeded: the same seed
 * gives the same output on one machine. Inputs of fewer than 4 points are returned as their
 * PCA projection (zero-padded), since there is no neighbourhood to learn from.
 */
export function umap(points: PointsInput, options: UmapOptions = {}): Float32Array[] {
  const matrix = toMatrix(points, 'umap');
  const n = matrix.rows;
  const dim = options.nComponents ?? 2;
  if (!Number.isInteger(dim) || dim < 1) throw new InvalidInputError(`umap: nComponents must be an integer ≥ 1, got ${dim}`);
  const nNeighbors = options.nNeighbors ?? 15;
  if (!Number.isInteger(nNeighbors) || nNeighbors < 2) throw new InvalidInputError(`umap: nNeighbors must be an integer ≥ 2, got ${nNeighbors}`);
  const minDist = options.minDist ?? 0.1;
  const spread = options.spread ?? 1;
  if (!(minDist >= 0) || !(spread > 0) || minDist > spread) {
    throw new InvalidInputError(`umap: need 0 ≤ minDist ≤ spread and spread > 0, got minDist=${minDist}, spread=${spread}`);
  }
  const metric = options.metric ?? 'euclidean';
  const initIterations = options.initIterations ?? 2;
  if (!Number.isInteger(initIterations) || initIterations < 1) throw new InvalidInputError(`umap: initIterations must be an integer ≥ 1, got ${initIterations}`);
  if (options.initialCoordinates && options.initialCoordinates.length !== n * dim) {
    throw new InvalidInputError(`umap: initialCoordinates has ${options.initialCoordinates.length} values, expected ${n} × ${dim}`);
  }
  const random = createRandomSource(options.seed ?? 42);
  const epochs = options.nEpochs ?? (n <= 10_000 ? 500 : 200);
  const report = options.onProgress;
  if (n < 4) return toRows(scaleToBox(pcaProject(matrix, dim, random), n, dim, random), n, dim);

  checkAborted(options.abortSignal);
  report?.({ stage: 'umap', done: 0, total: epochs, message: 'nearest neighbours' });
  const exact = !searchesByNnDescent(options.knnMethod, n);
  const k = Math.min(nNeighbors, n);
  const knn = options.knn ?? (exact ? bruteForceKnn(matrix, k, metric) : nnDescent(matrix, k, {
    metric,
    seed: random.int(0x7fffffff),
    onRound: report && ((round, rounds) => report({ stage: 'umap', done: 0, total: epochs, message: `nearest neighbours: round ${round} of at most ${rounds}` })),
  }));
  if (knn.indices.length !== n * knn.k) {
    throw new InvalidInputError(`umap: the given kNN graph has ${knn.indices.length / knn.k} rows but there are ${n} points`);
  }
  const graph = fuzzySimplicialSet(knn, n);
  checkAborted(options.abortSignal);
  const initial = options.initialCoordinates
    ? Float64Array.from(options.initialCoordinates)
    : options.init === 'random'
      ? randomInit(n, dim, random)
      : pcaProject(matrix, dim, random, initIterations);
  const embedding = Float32Array.from(scaleToBox(initial, n, dim, random));
  const { a, b } = findAbParams(spread, minDist);
  const every = Math.max(1, Math.floor(epochs / 20));
  optimizeLayout(embedding, dim, graph, random, {
    a,
    b,
    epochs,
    negativeSampleRate: options.negativeSampleRate,
    onEpoch: (epoch) => {
      if (epoch % every === 0 || epoch === epochs) {
        checkAborted(options.abortSignal);
        report?.({ stage: 'umap', done: epoch, total: epochs, message: 'optimizing layout' });
      }
    },
  });
  return toRows(embedding, n, dim);
}

/** umap-learn's noisy_scale_coords (max |x| = 10 plus N(0, 1e−4) noise), then each column min–max scaled to [0, 10]. */
function scaleToBox(coordinates: Float64Array, n: number, dim: number, random: RandomSource): Float64Array {
  let largest = 0;
  for (const value of coordinates) largest = Math.max(largest, Math.abs(value));
  const expansion = largest > 0 ? 10 / largest : 0;
  for (let index = 0; index < coordinates.length; index++) coordinates[index] = (coordinates[index] as number) * expansion + 1e-4 * random.normal();
  for (let c = 0; c < dim; c++) {
    let low = Infinity;
    let high = -Infinity;
    for (let i = 0; i < n; i++) {
      const value = coordinates[i * dim + c] as number;
      low = Math.min(low, value);
      high = Math.max(high, value);
    }
    const range = high - low;
    for (let i = 0; i < n; i++) coordinates[i * dim + c] = range > 0 ? (10 * ((coordinates[i * dim + c] as number) - low)) / range : 5;
  }
  return coordinates;
}

function randomInit(n: number, dim: number, random: RandomSource): Float64Array {
  return Float64Array.from({ length: n * dim }, () => random.next() * 20 - 10);
}

function toRows(embedding: Float32Array | Float64Array, n: number, dim: number): Float32Array[] {
  return Array.from({ length: n }, (_, i) => Float32Array.from(embedding.subarray(i * dim, (i + 1) * dim)));
}

function checkAborted(signal: AbortSignal | undefined): void {
  if (signal?.aborted) throw new AbortedError('umap: aborted');
}
