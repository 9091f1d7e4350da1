import { squaredDistance, type KnnGraph } from '../knn/brute-force-knn.js';
import type { Matrix } from '../matrix.js';
import type { SpanningTree } from './prim-mst.js';

/**
 * An approximate mutual-reachability MST for high dimensions: Kruskal over the kNN graph's edges
 * (weighted by mutual reachability), then the forest's components are joined by Kruskal over
 * all pairs of up to `joinBudget` evenly spaced sample points drawn from the components.
 * Within a component the tree is exact whenever the true MST edges are kNN edges (the usual case
 * inside dense regions); joins are upper bounds on the true shortest links between components,
 * so only the top of the hierarchy (where well-separated groups meet) is approximate.
 * O(n·k·log(n·k) + joinBudget²·d) time, O(n·k) memory.
 */
export function knnGraphMutualReachabilityMst(matrix: Matrix, core: Float64Array, knn: KnnGraph, joinBudget = 4096): SpanningTree {
  const { data, rows: n, cols } = matrix;
  const edges = Math.max(0, n - 1);
  const result: SpanningTree = { from: new Int32Array(edges), to: new Int32Array(edges), weight: new Float64Array(edges) };
  if (n < 2) return result;
  const mr = (p: number, q: number): number => Math.max(core[p] as number, core[q] as number, Math.sqrt(squaredDistance(data, p * cols, q * cols, cols)));
  const candidateFrom: number[] = [];
  const candidateTo: number[] = [];
  const candidateWeight: number[] = [];
  for (let p = 0; p < n; p++) {
    for (let t = 1; t < knn.k; t++) {
      const q = knn.indices[p * knn.k + t] as number;
      if (q < 0 || q === p) continue;
      candidateFrom.push(p);
      candidateTo.push(q);
      candidateWeight.push(mr(p, q));
    }
  }
  const parent = Int32Array.from({ length: n }, (_, i) => i);
  const find = (x: number): number => {
    while ((parent[x] as number) !== x) {
      parent[x] = parent[parent[x] as number] as number;
      x = parent[x] as number;
    }
    return x;
  };
  let added = 0;
  const kruskal = (from: number[], to: number[], weight: number[]): void => {
    const order = Array.from(weight.keys()).sort((a, b) => (weight[a] as number) - (weight[b] as number) || a - b);
    for (const e of order) {
      if (added === edges) return;
      const a = find(from[e] as number);
      const b = find(to[e] as number);
      if (a === b) continue;
      parent[a] = b;
      result.from[added] = from[e] as number;
      result.to[added] = to[e] as number;
      result.weight[added] = weight[e] as number;
      added++;
    }
  };
  kruskal(candidateFrom, candidateTo, candidateWeight);
  if (added < edges) {
    // components of the forest, then evenly spaced samples of each
    const members = new Map<number, number[]>();
    for (let p = 0; p < n; p++) {
      const root = find(p);
      const list = members.get(root);
      if (list) list.push(p);
      else members.set(root, [p]);
    }
    const perComponent = Math.max(1, Math.floor(joinBudget / members.size));
    const samples: number[] = [];
    const sampleRoot: number[] = [];
    for (const [root, list] of members) {
      const take = Math.min(list.length, perComponent);
      for (let s = 0; s < take; s++) {
        samples.push(list[Math.floor((s * list.length) / take)] as number);
        sampleRoot.push(root);
      }
    }
    const from: number[] = [];
    const to: number[] = [];
    const weight: number[] = [];
    for (let a = 0; a < samples.length; a++) {
      for (let b = a + 1; b < samples.length; b++) {
        if (sampleRoot[a] === sampleRoot[b]) continue;
        from.push(samples[a] as number);
        to.push(samples[b] as number);
        weight.push(mr(samples[a] as number, samples[b] as number));
      }
    }
    kruskal(from, to, weight);
  }
  return result;
}
