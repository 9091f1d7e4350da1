import { dot, squaredDistance, type KnnGraph, type Metric } from '../knn/brute-force-knn.js';
import { normalizeRows, type Matrix } from '../matrix.js';
import { createRandomSource } from '@corpus-proximity/core/internal';
import { createSimdKernels } from './simd-kernels.js';

/** Options of {@link nnDescent}. */
export interface NnDescentOptions {
  metric?: Metric;
  seed?: number;
  /** Maximum rounds of local joins. Default 12. */
  iterations?: number;
  /** Stop when fewer than delta·n·k neighbour updates happen in a round. Default 0.001. */
  delta?: number;
  /** New/old candidates sampled per point and round. Default min(60, k). */
  maxCandidates?: number;
  /** Called after each round of local joins with the round (1-based), the most rounds, and that round's neighbour updates: progress for long searches. */
  onRound?: (round: number, rounds: number, updates: number) => void;
}

/**
 * Approximate k-nearest neighbours by NN-descent (Dong, Moses & Li 2011, as in PyNNDescent):
 * start from random neighbours, then repeatedly compare each point's neighbours and reverse
 * neighbours with one another ("a neighbour of a neighbour is likely a neighbour"), sampling
 * new candidates each round. Seeded and deterministic; O(n·k) memory plus, from 32 dimensions, a
 * padded float32 copy of the rows for the WebAssembly SIMD distance kernel; layout as {@link bruteForceKnn}.
 */
export function nnDescent(matrix: Matrix, k: number, options: NnDescentOptions = {}): KnnGraph {
  const n = matrix.rows;
  const kk = Math.max(1, Math.min(k, n));
  const m = kk - 1; // neighbours besides the point itself
  const metric = options.metric ?? 'euclidean';
  const source = metric === 'cosine' ? normalizeRows(matrix) : matrix;
  const { data, cols } = source;
  const distance = simdDistance(source, metric) ?? (metric === 'cosine'
    ? (a: number, b: number) => Math.max(0, 1 - dot(data, a * cols, b * cols, cols))
    : (a: number, b: number) => squaredDistance(data, a * cols, b * cols, cols));
  const random = createRandomSource(options.seed ?? 42);
  const heapDistance = new Float64Array(n * m).fill(Infinity);
  const heapIndex = new Int32Array(n * m).fill(-1);
  const heapNew = new Uint8Array(n * m);
  const push = (i: number, j: number, d: number): number => {
    const base = i * m;
    if (d >= (heapDistance[base] as number)) return 0;
    for (let t = 0; t < m; t++) if (heapIndex[base + t] === j) return 0;
    siftDown(heapDistance, heapIndex, heapNew, base, m, d, j);
    return 1;
  };
  if (m > 0) {
    for (let i = 0; i < n; i++) {
      for (let attempt = 0; attempt < 2 * m && (heapIndex[i * m] as number) < 0; attempt++) {
        const j = random.int(n);
        if (j !== i) push(i, j, distance(i, j));
      }
    }
    const maxCandidates = options.maxCandidates ?? Math.min(60, m);
    const iterations = options.iterations ?? 12;
    const threshold = (options.delta ?? 0.001) * n * m;
    const newCandidates = new Int32Array(n * maxCandidates);
    const oldCandidates = new Int32Array(n * maxCandidates);
    const newCount = new Int32Array(n);
    const oldCount = new Int32Array(n);
    // reservoir-style sampling with random priorities keeps candidate lists bounded and seeded
    const newPriority = new Float64Array(n * maxCandidates);
    const oldPriority = new Float64Array(n * maxCandidates);
    const addCandidate = (list: Int32Array, priority: Float64Array, count: Int32Array, i: number, j: number, weight: number): void => {
      const base = i * maxCandidates;
      const size = count[i] as number;
      for (let t = 0; t < size; t++) if (list[base + t] === j) return;
      if (size < maxCandidates) {
        list[base + size] = j;
        priority[base + size] = weight;
        count[i] = size + 1;
        return;
      }
      let worst = 0;
      for (let t = 1; t < size; t++) if ((priority[base + t] as number) > (priority[base + worst] as number)) worst = t;
      if (weight < (priority[base + worst] as number)) {
        list[base + worst] = j;
        priority[base + worst] = weight;
      }
    };
    for (let iteration = 0; iteration < iterations; iteration++) {
      newCount.fill(0);
      oldCount.fill(0);
      for (let i = 0; i < n; i++) {
        for (let t = 0; t < m; t++) {
          const slot = i * m + t;
          const j = heapIndex[slot] as number;
          if (j < 0) continue;
          const weight = random.next();
          if (heapNew[slot]) {
            addCandidate(newCandidates, newPriority, newCount, i, j, weight);
            addCandidate(newCandidates, newPriority, newCount, j, i, weight);
          } else {
            addCandidate(oldCandidates, oldPriority, oldCount, i, j, weight);
            addCandidate(oldCandidates, oldPriority, oldCount, j, i, weight);
          }
        }
      }
      // sampled new candidates become old
      for (let i = 0; i < n; i++) {
        for (let t = 0; t < m; t++) {
          const slot = i * m + t;
          if (!heapNew[slot]) continue;
          const j = heapIndex[slot] as number;
          const base = i * maxCandidates;
          for (let c = 0; c < (newCount[i] as number); c++) if (newCandidates[base + c] === j) heapNew[slot] = 0;
        }
      }
      let updates = 0;
      for (let i = 0; i < n; i++) {
        const newBase = i * maxCandidates;
        const newSize = newCount[i] as number;
        const oldSize = oldCount[i] as number;
        for (let a = 0; a < newSize; a++) {
          const p = newCandidates[newBase + a] as number;
          for (let b = a + 1; b < newSize; b++) {
            const q = newCandidates[newBase + b] as number;
            const d = distance(p, q);
            updates += push(p, q, d) + push(q, p, d);
          }
          for (let b = 0; b < oldSize; b++) {
            const q = oldCandidates[newBase + b] as number;
            if (q === p) continue;
            const d = distance(p, q);
            updates += push(p, q, d) + push(q, p, d);
          }
        }
      }
      options.onRound?.(iteration + 1, iterations, updates);
      if (updates <= threshold) break;
    }
  }
  return finish(n, kk, m, heapDistance, heapIndex, metric);
}

/** Sorts each heap, puts the point itself first and converts squared distances. */
function finish(n: number, kk: number, m: number, heapDistance: Float64Array, heapIndex: Int32Array, metric: Metric): KnnGraph {
  const indices = new Int32Array(n * kk).fill(-1);
  const distances = new Float32Array(n * kk).fill(Infinity);
  const slots: number[] = [];
  for (let i = 0; i < n; i++) {
    const base = i * m;
    slots.length = 0;
    for (let t = 0; t < m; t++) if ((heapIndex[base + t] as number) >= 0) slots.push(t);
    slots.sort((a, b) => (heapDistance[base + a] as number) - (heapDistance[base + b] as number) || (heapIndex[base + a] as number) - (heapIndex[base + b] as number));
    indices[i * kk] = i;
    distances[i * kk] = 0;
    slots.forEach((slot, t) => {
      indices[i * kk + 1 + t] = heapIndex[base + slot] as number;
      const value = heapDistance[base + slot] as number;
      distances[i * kk + 1 + t] = metric === 'cosine' ? value : Math.sqrt(value);
    });
  }
  return { k: kk, indices, distances };
}

/** Replaces the root of the max-heap at `base` with (d, j), marked new, and sifts it down. */
function siftDown(distance: Float64Array, index: Int32Array, isNew: Uint8Array, base: number, size: number, d: number, j: number): void {
  let position = 0;
  for (;;) {
    const left = 2 * position + 1;
    if (left >= size) break;
    const right = left + 1;
    let child = left;
    if (right < size && (distance[base + right] as number) > (distance[base + left] as number)) child = right;
    if ((distance[base + child] as number) <= d) break;
    distance[base + position] = distance[base + child] as number;
    index[base + position] = index[base + child] as number;
    isNew[base + position] = isNew[base + child] as number;
    position = child;
  }
  distance[base + position] = d;
  index[base + position] = j;
  isNew[base + position] = 1;
}

/** Rows shorter than this stay on the JS distance loops (a kernel call costs about as much as a short loop; threshold not tuned). */
const SIMD_MIN_COLS = 32;

/**
 * The distance on rows copied (zero-padded to a multiple of 4 floats) into the SIMD kernels' memory:
 * squared Euclidean, or for cosine (rows already unit) 1 − a·b = |a − b|²/2. Undefined when the rows
 * are short or WebAssembly SIMD is unavailable.
 */
function simdDistance(source: Matrix, metric: Metric): ((a: number, b: number) => number) | undefined {
  const { data, rows, cols } = source;
  if (cols < SIMD_MIN_COLS) return undefined;
  const stride = Math.ceil(cols / 4) * 4;
  const kernels = createSimdKernels(rows * stride * 4);
  if (!kernels) return undefined;
  const memory = new Float32Array(kernels.memory.buffer, 0, rows * stride);
  if (stride === cols) memory.set(data.subarray(0, rows * cols));
  else for (let i = 0; i < rows; i++) memory.set(data.subarray(i * cols, (i + 1) * cols), i * stride);
  const { dist } = kernels;
  const bytes = stride * 4;
  return metric === 'cosine' ? (a, b) => Math.max(0, dist(a * bytes, b * bytes, bytes) / 2) : (a, b) => dist(a * bytes, b * bytes, bytes);
}
