import { squaredDistance, squaredDistanceBelow } from '../knn/brute-force-knn.js';
import { boxDistanceSquared, boxToBoxSquared, leftChildFirst, pushChildren, type KdTree } from '../knn/kd-tree.js';

/** Working state of one Borůvka run (see boruvka-mst.ts); points are named by their position in tree order. */
export interface State {
  tree: KdTree;
  core2: Float64Array;
  /** Smallest squared core distance under each node. */
  nodeCore: Float64Array;
  /** The component every point under a node belongs to, −1 if mixed. */
  nodeComponent: Int32Array;
  parent: Int32Array;
  component: Int32Array;
  best: Float64Array;
  bestFrom: Int32Array;
  bestTo: Int32Array;
  /** Per point: a lower bound on its cheapest edge out of its component, exact when pointTarget ≥ 0. */
  pointLower: Float64Array;
  pointTarget: Int32Array;
  stack: Int32Array;
  stackBound: Float64Array;
  /** Scratch: some of one leaf's points (as long as the largest leaf). */
  candidates: Int32Array;
}

/** Lowers component c's best edge to p–q if `value` (squared) beats it. */
export function offer(state: State, c: number, p: number, q: number, value: number): void {
  if (value < (state.best[c] as number)) {
    state.best[c] = value;
    state.bestFrom[c] = p;
    state.bestTo[c] = q;
  }
}

/**
 * Exact search for p's cheapest edge out of its component, pruned by the component's best so far.
 * If p improves that best, the search was exhaustive below it, so p's answer is remembered as exact.
 */
export function searchPoint(state: State, p: number): void {
  const { tree, core2, nodeCore, nodeComponent, component, best, stack, stackBound } = state;
  if ((state.pointTarget[p] as number) >= 0) return;
  const c = component[p] as number;
  if ((state.pointLower[p] as number) >= (best[c] as number)) return;
  const cols = tree.matrix.cols;
  const data = tree.sorted;
  const point = p * cols;
  const pCore = core2[p] as number;
  let found = -1;
  let depth = 0;
  stack[depth] = 0;
  stackBound[depth++] = pCore;
  while (depth > 0) {
    depth--;
    const node = stack[depth] as number;
    if ((stackBound[depth] as number) >= (best[c] as number) || nodeComponent[node] === c) continue;
    if (node >= tree.firstLeaf) {
      for (let q = tree.start[node] as number; q < (tree.end[node] as number); q++) {
        if (component[q] === c) continue;
        const floor = Math.max(pCore, core2[q] as number);
        if (floor >= (best[c] as number)) continue;
        const value = Math.max(floor, squaredDistance(data, point, q * cols, cols));
        if (value < (best[c] as number)) {
          offer(state, c, p, q, value);
          found = q;
        }
      }
      continue;
    }
    const left = 2 * node + 1;
    const leftBound = Math.max(pCore, nodeCore[left] as number, boxDistanceSquared(tree, left, data, point));
    const rightBound = Math.max(pCore, nodeCore[left + 1] as number, boxDistanceSquared(tree, left + 1, data, point));
    depth = pushChildren(stack, stackBound, depth, left, leftBound, rightBound, leftBound <= rightBound);
  }
  state.pointLower[p] = best[c] as number;
  if (found >= 0) state.pointTarget[p] = found;
}

/**
 * Searches for all points of a leaf that belong to component c at once (a dual-tree step with the
 * query side fixed at one leaf): one traversal, pruned by box-to-box distance and the smallest
 * lower bound among those points that are still unresolved.
 */
export function searchLeaf(state: State, leaf: number, c: number): void {
  const { tree, core2, nodeCore, nodeComponent, component, best, pointLower, pointTarget, stack, stackBound, candidates } = state;
  const first = tree.start[leaf] as number;
  const last = tree.end[leaf] as number;
  let floorOfLeaf = Infinity;
  for (let p = first; p < last; p++) {
    if ((pointTarget[p] as number) < 0 && component[p] === c) floorOfLeaf = Math.min(floorOfLeaf, pointLower[p] as number);
  }
  if (floorOfLeaf >= (best[c] as number)) return;
  const cols = tree.matrix.cols;
  const data = tree.sorted;
  const centre = new Float64Array(cols);
  for (let t = 0; t < cols; t++) centre[t] = ((tree.lower[leaf * cols + t] as number) + (tree.upper[leaf * cols + t] as number)) / 2;
  let depth = 0;
  stack[depth] = 0;
  stackBound[depth++] = floorOfLeaf;
  while (depth > 0) {
    depth--;
    const node = stack[depth] as number;
    if ((stackBound[depth] as number) >= (best[c] as number) || nodeComponent[node] === c) continue;
    if (node >= tree.firstLeaf) {
      // the node's points outside c that could still beat the best, gathered once for all query points
      let count = 0;
      for (let q = tree.start[node] as number; q < (tree.end[node] as number); q++) {
        if (component[q] !== c && (core2[q] as number) < (best[c] as number)) candidates[count++] = q;
      }
      if (count === 0) continue;
      for (let p = first; p < last; p++) {
        if ((pointTarget[p] as number) >= 0 || component[p] !== c || (pointLower[p] as number) >= (best[c] as number)) continue;
        const pCore = core2[p] as number;
        const point = p * cols;
        if (Math.max(pCore, boxDistanceSquared(tree, node, data, point)) >= (best[c] as number)) continue;
        for (let index = 0; index < count; index++) {
          const q = candidates[index] as number;
          const floor = Math.max(pCore, core2[q] as number);
          if (floor >= (best[c] as number)) continue;
          offer(state, c, p, q, Math.max(floor, squaredDistanceBelow(data, point, q * cols, cols, best[c] as number)));
        }
      }
      continue;
    }
    const left = 2 * node + 1;
    const leftBound = Math.max(floorOfLeaf, nodeCore[left] as number, boxToBoxSquared(tree, leaf, left));
    const rightBound = Math.max(floorOfLeaf, nodeCore[left + 1] as number, boxToBoxSquared(tree, leaf, left + 1));
    depth = pushChildren(stack, stackBound, depth, left, leftBound, rightBound, leftChildFirst(tree, left, leftBound, rightBound, centre));
  }
  // every unresolved point's cheapest edge out is ≥ the final best; the point holding it is exact
  const final = best[c] as number;
  for (let p = first; p < last; p++) {
    if ((pointTarget[p] as number) >= 0 || component[p] !== c) continue;
    pointLower[p] = Math.max(pointLower[p] as number, final);
    if (state.bestFrom[c] === p && Number.isFinite(final)) pointTarget[p] = state.bestTo[c] as number;
  }
}
