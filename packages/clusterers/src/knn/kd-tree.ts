import type { Matrix } from '../matrix.js';

/**
 * A balanced KD-tree over the rows of a matrix, in implicit heap layout (node i has children 2i+1
 * and 2i+2); each node owns the contiguous slice `[start[i], end[i])` of `order` and keeps its
 * bounding box. Built by median splits on the widest dimension; O(n log n), O(n) memory.
 */
export interface KdTree {
  matrix: Matrix;
  /** Row ids, permuted so that every node's points are contiguous. */
  order: Int32Array;
  /** The rows copied in tree order (`sorted[position*cols ..]` is row `order[position]`): leaf scans stay in cache. */
  sorted: Float32Array;
  /** Inverse of `order`: the position of each row. */
  positionOf: Int32Array;
  start: Int32Array;
  end: Int32Array;
  /** Bounding boxes, `nodeCount × cols` each. */
  lower: Float64Array;
  upper: Float64Array;
  nodeCount: number;
  /** Nodes at index ≥ firstLeaf are leaves. */
  firstLeaf: number;
}

/** Builds a KD-tree with leaves of at most `leafSize` points. */
export function buildKdTree(matrix: Matrix, leafSize = 24): KdTree {
  const { data, rows: n, cols } = matrix;
  let levels = 0;
  while (Math.ceil(n / 2 ** levels) > leafSize) levels++;
  const nodeCount = 2 ** (levels + 1) - 1;
  const firstLeaf = 2 ** levels - 1;
  const order = Int32Array.from({ length: n }, (_, i) => i);
  const start = new Int32Array(nodeCount);
  const end = new Int32Array(nodeCount);
  const lower = new Float64Array(nodeCount * cols);
  const upper = new Float64Array(nodeCount * cols);
  start[0] = 0;
  end[0] = n;
  for (let node = 0; node < nodeCount; node++) {
    const from = start[node] as number;
    const to = end[node] as number;
    const box = node * cols;
    for (let t = 0; t < cols; t++) {
      lower[box + t] = Infinity;
      upper[box + t] = -Infinity;
    }
    for (let position = from; position < to; position++) {
      const row = (order[position] as number) * cols;
      for (let t = 0; t < cols; t++) {
        const value = data[row + t] as number;
        if (value < (lower[box + t] as number)) lower[box + t] = value;
        if (value > (upper[box + t] as number)) upper[box + t] = value;
      }
    }
    if (node >= firstLeaf) continue;
    let widest = 0;
    let width = -1;
    for (let t = 0; t < cols; t++) {
      const span = (upper[box + t] as number) - (lower[box + t] as number);
      if (span > width) {
        width = span;
        widest = t;
      }
    }
    const middle = (from + to) >> 1;
    if (to - from > 1) select(order, data, cols, widest, from, to - 1, middle);
    start[2 * node + 1] = from;
    end[2 * node + 1] = middle;
    start[2 * node + 2] = middle;
    end[2 * node + 2] = to;
  }
  const sorted = new Float32Array(n * cols);
  for (let position = 0; position < n; position++) sorted.set(data.subarray((order[position] as number) * cols, ((order[position] as number) + 1) * cols), position * cols);
  const positionOf = new Int32Array(n);
  for (let position = 0; position < n; position++) positionOf[order[position] as number] = position;
  return { matrix, order, sorted, positionOf, start, end, lower, upper, nodeCount, firstLeaf };
}

/** Squared distance from row offset `point` of `data` to node's bounding box (0 inside). */
export function boxDistanceSquared(tree: KdTree, node: number, data: Float32Array, point: number): number {
  const { lower, upper } = tree;
  const cols = tree.matrix.cols;
  const box = node * cols;
  let sum = 0;
  for (let t = 0; t < cols; t++) {
    const value = data[point + t] as number;
    sum += twiceGapSquared((lower[box + t] as number) - value, value - (upper[box + t] as number));
  }
  return sum * 0.25;
}

/** Squared distance between the bounding boxes of two nodes (0 if they overlap). */
export function boxToBoxSquared(tree: KdTree, a: number, b: number): number {
  const { lower, upper } = tree;
  const cols = tree.matrix.cols;
  const boxA = a * cols;
  const boxB = b * cols;
  let sum = 0;
  for (let t = 0; t < cols; t++) sum += twiceGapSquared((lower[boxA + t] as number) - (upper[boxB + t] as number), (lower[boxB + t] as number) - (upper[boxA + t] as number));
  return sum * 0.25;
}

/** Quickselect (Floyd–Rivest-free Hoare variant) so that order[k] holds the k-th smallest value of dimension `dim`. */
function select(order: Int32Array, data: Float32Array, cols: number, dim: number, left: number, right: number, k: number): void {
  const key = (position: number): number => data[(order[position] as number) * cols + dim] as number;
  while (right > left) {
    const pivot = key((left + right) >> 1);
    let i = left;
    let j = right;
    while (i <= j) {
      while (key(i) < pivot) i++;
      while (key(j) > pivot) j--;
      if (i <= j) {
        const swap = order[i] as number;
        order[i] = order[j] as number;
        order[j] = swap;
        i++;
        j--;
      }
    }
    if (k <= j) right = j;
    else if (k >= i) left = i;
    else return;
  }
}

/** Squared distance from a point given as coordinates (not a row) to a node's box. */
function boxToCoordinatesSquared(tree: KdTree, node: number, centre: Float64Array): number {
  const { lower, upper } = tree;
  const cols = tree.matrix.cols;
  const box = node * cols;
  let sum = 0;
  for (let t = 0; t < cols; t++) {
    const value = centre[t] as number;
    sum += twiceGapSquared((lower[box + t] as number) - value, value - (upper[box + t] as number));
  }
  return sum * 0.25;
}

/**
 * (2·max(0, below, above))² for the two one-sided gaps of an interval, at most one of them positive:
 * 2·max(0, x) = x + |x| exactly, so this is branch-free (the side is unpredictable, and Math.max
 * with three arguments is slow in V8) and, after the callers' exact ×¼, bit-identical to the plain form.
 */
function twiceGapSquared(below: number, above: number): number {
  const a = below + Math.abs(below);
  const b = above + Math.abs(above);
  return a * a + b * b;
}

/**
 * Whether a traversal from a query leaf should visit the left child first: the child with the lower
 * bound, or on a tie (both boxes touch the leaf) the one whose box is nearer the leaf's centre.
 */
export function leftChildFirst(tree: KdTree, left: number, leftBound: number, rightBound: number, centre: Float64Array): boolean {
  return leftBound < rightBound || (leftBound === rightBound && boxToCoordinatesSquared(tree, left, centre) <= boxToCoordinatesSquared(tree, left + 1, centre));
}

/** Pushes both children of a node (left, left + 1) with their bounds, the one to visit first on top; returns the new depth. */
export function pushChildren(stack: Int32Array, stackBound: Float64Array, depth: number, left: number, leftBound: number, rightBound: number, leftFirst: boolean): number {
  if (leftFirst) {
    stack[depth] = left + 1;
    stackBound[depth++] = rightBound;
    stack[depth] = left;
    stackBound[depth++] = leftBound;
  } else {
    stack[depth] = left;
    stackBound[depth++] = leftBound;
    stack[depth] = left + 1;
    stackBound[depth++] = rightBound;
  }
  return depth;
}
