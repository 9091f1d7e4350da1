import { squaredDistance, type KnnGraph } from '../knn/brute-force-knn.js';
import { offer, searchLeaf, searchPoint, type State } from './boruvka-search.js';
import type { KdTree } from '../knn/kd-tree.js';
import type { SpanningTree } from './prim-mst.js';

/**
 * Minimum spanning tree of the mutual-reachability graph by Borůvka's algorithm over a KD-tree
 * (after McInnes & Healy 2017). Each round every component finds its cheapest edge to another:
 * remembered exact answers and the kNN lists seed the bounds, then the tree is searched — per
 * point in the first round, per leaf (all its points at once, box-to-box bounds) once leaves are
 * pure. A subtree is skipped when it lies wholly in the query's component or when
 * max(core, min core in node, box distance) cannot beat the component's best edge. All work is
 * in squared distances; memory O(n). `onRound` hears each round's number and component count.
 */
export function boruvkaMutualReachabilityMst(tree: KdTree, coreDistances: Float64Array, knn: KnnGraph, onRound?: (round: number, components: number) => void): SpanningTree {
  const n = tree.matrix.rows;
  const edges = Math.max(0, n - 1);
  const result: SpanningTree = { from: new Int32Array(edges), to: new Int32Array(edges), weight: new Float64Array(edges) };
  if (n < 2) return result;
  // Points are named by their position in tree order from here on (every per-point array is then
  // read in the order the tree stores the rows); edges are mapped back to row ids at the end.
  const { order, positionOf, sorted: data } = tree;
  const cols = tree.matrix.cols;
  const state = createState(tree, Float64Array.from(order, (row) => coreDistances[row] as number));
  const { parent, component, best, bestFrom, bestTo, pointLower, pointTarget, core2 } = state;
  const neighbours = new Int32Array(n * knn.k);
  for (let p = 0; p < n; p++) {
    const row = (order[p] as number) * knn.k;
    for (let t = 0; t < knn.k; t++) neighbours[p * knn.k + t] = positionOf[knn.indices[row + t] as number] as number;
  }
  const leaves = leavesByLargestCore(tree, core2);
  const byCore = Int32Array.from({ length: n }, (_, i) => i).sort((a, b) => (core2[a] as number) - (core2[b] as number) || a - b);
  let added = 0;
  for (let round = 0; added < edges; round++) {
    onRound?.(round, n - added);
    for (let i = 0; i < n; i++) component[i] = find(parent, i);
    labelNodes(state);
    best.fill(Infinity);
    // the nearest point outside a component only gets farther as components merge, so a
    // remembered exact target that is still outside is still the point's cheapest edge
    for (let p = 0; p < n; p++) {
      const q = pointTarget[p] as number;
      if (q < 0) continue;
      if (component[q] === component[p]) pointTarget[p] = -1;
      else offer(state, component[p] as number, p, q, pointLower[p] as number);
    }
    for (let p = 0; p < n; p++) {
      if ((pointTarget[p] as number) >= 0) continue;
      const c = component[p] as number;
      for (let t = 1; t < knn.k; t++) {
        const q = neighbours[p * knn.k + t] as number;
        if (component[q] === c) continue;
        offer(state, c, p, q, Math.max(core2[p] as number, core2[q] as number, squaredDistance(data, p * cols, q * cols, cols)));
      }
    }
    if (round === 0) {
      // singletons everywhere: densest points first, their kNN seeds are already tight
      for (let index = 0; index < n; index++) searchPoint(state, byCore[index] as number);
    } else {
      // fringe leaves (largest core distances) first: they find short edges out and bound the rest;
      // a mixed leaf is searched once per component among its points
      const seen = new Set<number>();
      for (const leaf of leaves) {
        const pure = state.nodeComponent[leaf] as number;
        if (pure >= 0) {
          searchLeaf(state, leaf, pure);
          continue;
        }
        seen.clear();
        for (let p = tree.start[leaf] as number; p < (tree.end[leaf] as number); p++) seen.add(component[p] as number);
        for (const c of seen) searchLeaf(state, leaf, c);
      }
    }
    const before = added;
    for (let c = 0; c < n; c++) {
      if (component[c] !== c || !Number.isFinite(best[c] as number)) continue;
      const a = find(parent, bestFrom[c] as number);
      const b = find(parent, bestTo[c] as number);
      if (a === b) continue;
      parent[a] = b;
      result.from[added] = order[bestFrom[c] as number] as number;
      result.to[added] = order[bestTo[c] as number] as number;
      result.weight[added] = Math.sqrt(best[c] as number);
      added++;
    }
    if (added === before) throw new Error('boruvka: no edge added in a round (internal error)');
  }
  return result;
}

/** Borůvka's state, per point in tree order (`coreDistances` already in that order). */
function createState(tree: KdTree, coreDistances: Float64Array): State {
  const n = tree.matrix.rows;
  const core2 = Float64Array.from(coreDistances, (value) => value * value);
  const nodeCore = new Float64Array(tree.nodeCount).fill(Infinity);
  for (let node = tree.nodeCount - 1; node >= 0; node--) {
    if (node >= tree.firstLeaf) {
      for (let p = tree.start[node] as number; p < (tree.end[node] as number); p++) nodeCore[node] = Math.min(nodeCore[node] as number, core2[p] as number);
    } else nodeCore[node] = Math.min(nodeCore[2 * node + 1] as number, nodeCore[2 * node + 2] as number);
  }
  return {
    tree, core2, nodeCore,
    nodeComponent: new Int32Array(tree.nodeCount),
    parent: Int32Array.from({ length: n }, (_, i) => i),
    component: new Int32Array(n),
    best: new Float64Array(n), bestFrom: new Int32Array(n), bestTo: new Int32Array(n),
    pointLower: Float64Array.from(core2), pointTarget: new Int32Array(n).fill(-1),
    stack: new Int32Array(256), stackBound: new Float64Array(256),
    candidates: new Int32Array(largestLeaf(tree)),
  };
}

function largestLeaf(tree: KdTree): number {
  let size = 1;
  for (let leaf = tree.firstLeaf; leaf < tree.nodeCount; leaf++) size = Math.max(size, (tree.end[leaf] as number) - (tree.start[leaf] as number));
  return size;
}

function find(parent: Int32Array, x: number): number {
  while ((parent[x] as number) !== x) {
    parent[x] = parent[parent[x] as number] as number;
    x = parent[x] as number;
  }
  return x;
}

/** nodeComponent bottom-up: a node is pure when all its points share one component (−2 = empty). */
function labelNodes(state: State): void {
  const { tree, nodeComponent, component } = state;
  for (let node = tree.nodeCount - 1; node >= 0; node--) {
    if (node >= tree.firstLeaf) {
      const first = tree.start[node] as number;
      const last = tree.end[node] as number;
      let shared = first < last ? (component[first] as number) : -2;
      for (let p = first + 1; p < last && shared >= 0; p++) {
        if (component[p] !== shared) shared = -1;
      }
      nodeComponent[node] = shared;
    } else {
      const left = nodeComponent[2 * node + 1] as number;
      const right = nodeComponent[2 * node + 2] as number;
      nodeComponent[node] = left === -2 ? right : right === -2 ? left : left === right ? left : -1;
    }
  }
}

/** Leaves ordered by their largest core distance, largest first. */
function leavesByLargestCore(tree: KdTree, core2: Float64Array): number[] {
  const leaves: number[] = [];
  const largest = new Float64Array(tree.nodeCount);
  for (let leaf = tree.firstLeaf; leaf < tree.nodeCount; leaf++) {
    if ((tree.end[leaf] as number) <= (tree.start[leaf] as number)) continue;
    leaves.push(leaf);
    for (let p = tree.start[leaf] as number; p < (tree.end[leaf] as number); p++) largest[leaf] = Math.max(largest[leaf] as number, core2[p] as number);
  }
  return leaves.sort((a, b) => (largest[b] as number) - (largest[a] as number) || a - b);
}
