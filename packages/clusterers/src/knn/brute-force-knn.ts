import { normalizeRows, type Matrix } from '../matrix.js';
import { heapReplaceTop } from './knn-heap.js';

/** Distance used for neighbours: Euclidean, or cosine distance 1 − cos(a, b). */
export type Metric = 'euclidean' | 'cosine';

/**
 * A k-nearest-neighbour graph: row i holds `k` neighbours at `indices[i*k ..]`, nearest first,
 * and the point itself always comes first at distance 0 (as umap-learn and sklearn count it).
 */
export interface KnnGraph {
  k: number;
  indices: Int32Array;
  distances: Float32Array;
}

/** Rows per block of the blocked loop: 32 rows of ≤ 1024 floats stay in L1/L2 while every other row streams past. */
const BLOCK = 32;

/**
 * Exact k-nearest neighbours by brute force in O(n²·d) time and O(n·k) memory.
 * Each pair is measured once (the upper triangle) and offered to both points' bounded max-heaps.
 * `k` counts the point itself and is clamped to n.
 */
export function bruteForceKnn(matrix: Matrix, k: number, metric: Metric = 'euclidean'): KnnGraph {
  const n = matrix.rows;
  const kk = Math.max(1, Math.min(k, n));
  const others = kk - 1;
  const source = metric === 'cosine' ? normalizeRows(matrix) : matrix;
  const { data, cols } = source;
  const heapDistance = new Float64Array(n * others).fill(Infinity);
  const heapIndex = new Int32Array(n * others).fill(-1);
  if (others > 0) {
    // both metrics as dot products: cosine on unit rows, Euclidean as |a|² + |b|² − 2a·b (clamped at 0;
    // norms use the same summation order as the dots, so identical rows come out at exactly 0)
    const cosine = metric === 'cosine';
    const norms = new Float64Array(n);
    if (!cosine) for (let i = 0; i < n; i++) norms[i] = sequentialDot(data, i * cols, i * cols, cols);
    const offer = (i: number, j: number, product: number): void => {
      const d = cosine ? Math.max(0, 1 - product) : Math.max(0, (norms[i] as number) + (norms[j] as number) - 2 * product);
      const iBase = i * others;
      if (d < (heapDistance[iBase] as number)) heapReplaceTop(heapDistance, heapIndex, iBase, others, d, j);
      const jBase = j * others;
      if (d < (heapDistance[jBase] as number)) heapReplaceTop(heapDistance, heapIndex, jBase, others, d, i);
    };
    const products = new Float64Array(4);
    for (let blockStart = 0; blockStart < n; blockStart += BLOCK) {
      const blockEnd = Math.min(n, blockStart + BLOCK);
      for (let j = blockStart + 1; j < n; j++) {
        const iEnd = Math.min(blockEnd, j);
        let i = blockStart;
        // 4 rows of the block against row j at once: row j is loaded once per 4 products
        for (; i + 3 < iEnd; i += 4) {
          dot4(data, i * cols, j * cols, cols, products);
          offer(i, j, products[0] as number);
          offer(i + 1, j, products[1] as number);
          offer(i + 2, j, products[2] as number);
          offer(i + 3, j, products[3] as number);
        }
        for (; i < iEnd; i++) offer(i, j, sequentialDot(data, i * cols, j * cols, cols));
      }
    }
  }
  const indices = new Int32Array(n * kk);
  const distances = new Float32Array(n * kk);
  const order: number[] = [];
  for (let i = 0; i < n; i++) {
    const base = i * others;
    order.length = 0;
    for (let t = 0; t < others; t++) if ((heapIndex[base + t] as number) >= 0) order.push(t);
    order.sort(
      (a, b) =>
        (heapDistance[base + a] as number) - (heapDistance[base + b] as number) ||
        (heapIndex[base + a] as number) - (heapIndex[base + b] as number),
    );
    const out = i * kk;
    indices[out] = i;
    distances[out] = 0;
    for (let t = 0; t < order.length; t++) {
      const slot = base + (order[t] as number);
      indices[out + 1 + t] = heapIndex[slot] as number;
      const value = heapDistance[slot] as number;
      distances[out + 1 + t] = metric === 'cosine' ? value : Math.sqrt(value);
    }
  }
  return { k: kk, indices, distances };
}

/** Squared Euclidean distance between two rows of one buffer, four accumulators for throughput. */
export function squaredDistance(data: Float32Array, a: number, b: number, cols: number): number {
  return squaredDistanceBelow(data, a, b, cols, Infinity);
}

/**
 * {@link squaredDistance} that gives up once the partial sum reaches `limit` (then it returns a value
 * ≥ limit, not the distance); when it finishes, the value is bit-identical to squaredDistance's.
 */
export function squaredDistanceBelow(data: Float32Array, a: number, b: number, cols: number, limit: number): number {
  let s0 = 0;
  let s1 = 0;
  let s2 = 0;
  let s3 = 0;
  let t = 0;
  for (; t + 3 < cols; t += 4) {
    const d0 = (data[a + t] as number) - (data[b + t] as number);
    const d1 = (data[a + t + 1] as number) - (data[b + t + 1] as number);
    const d2 = (data[a + t + 2] as number) - (data[b + t + 2] as number);
    const d3 = (data[a + t + 3] as number) - (data[b + t + 3] as number);
    s0 += d0 * d0;
    s1 += d1 * d1;
    s2 += d2 * d2;
    s3 += d3 * d3;
    if (s0 + s1 + s2 + s3 >= limit) return limit;
  }
  for (; t < cols; t++) {
    const d = (data[a + t] as number) - (data[b + t] as number);
    s0 += d * d;
  }
  return s0 + s1 + s2 + s3;
}

/** Dot product of two rows of one buffer. */
export function dot(data: Float32Array, a: number, b: number, cols: number): number {
  let s0 = 0;
  let s1 = 0;
  let s2 = 0;
  let s3 = 0;
  let t = 0;
  for (; t + 3 < cols; t += 4) {
    s0 += (data[a + t] as number) * (data[b + t] as number);
    s1 += (data[a + t + 1] as number) * (data[b + t + 1] as number);
    s2 += (data[a + t + 2] as number) * (data[b + t + 2] as number);
    s3 += (data[a + t + 3] as number) * (data[b + t + 3] as number);
  }
  for (; t < cols; t++) s0 += (data[a + t] as number) * (data[b + t] as number);
  return s0 + s1 + s2 + s3;
}

/** Four dot products of consecutive rows a, a+cols, a+2·cols, a+3·cols with row b, each summed in index order. */
function dot4(data: Float32Array, a: number, b: number, cols: number, out: Float64Array): void {
  let s0 = 0;
  let s1 = 0;
  let s2 = 0;
  let s3 = 0;
  const a1 = a + cols;
  const a2 = a1 + cols;
  const a3 = a2 + cols;
  for (let t = 0; t < cols; t++) {
    const value = data[b + t] as number;
    s0 += (data[a + t] as number) * value;
    s1 += (data[a1 + t] as number) * value;
    s2 += (data[a2 + t] as number) * value;
    s3 += (data[a3 + t] as number) * value;
  }
  out[0] = s0;
  out[1] = s1;
  out[2] = s2;
  out[3] = s3;
}

/** Dot product summed in index order (matches {@link dot4} bit for bit). */
function sequentialDot(data: Float32Array, a: number, b: number, cols: number): number {
  let sum = 0;
  for (let t = 0; t < cols; t++) sum += (data[a + t] as number) * (data[b + t] as number);
  return sum;
}
