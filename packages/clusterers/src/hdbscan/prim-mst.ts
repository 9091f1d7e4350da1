import { squaredDistance } from '../knn/brute-force-knn.js';
import type { Matrix } from '../matrix.js';

/** A spanning tree as n−1 edges `from[i] – to[i]` with Euclidean mutual-reachability `weight[i]`. */
export interface SpanningTree {
  from: Int32Array;
  to: Int32Array;
  weight: Float64Array;
}

/**
 * Minimum spanning tree of the mutual-reachability graph by Prim's algorithm over implicit
 * distances: O(n²·d) time, O(n) memory, exact in any dimension. A pair is only measured when
 * the two core distances alone do not already rule it out.
 */
export function primMutualReachabilityMst(matrix: Matrix, coreDistances: Float64Array): SpanningTree {
  const { data, rows: n, cols } = matrix;
  const edges = Math.max(0, n - 1);
  const from = new Int32Array(edges);
  const to = new Int32Array(edges);
  const weight = new Float64Array(edges);
  if (n < 2) return { from, to, weight };
  const coreSquared = new Float64Array(n);
  for (let i = 0; i < n; i++) coreSquared[i] = (coreDistances[i] as number) ** 2;
  // remaining[0..count) are the vertices not yet in the tree; best*/bestFrom* are indexed by vertex
  const remaining = new Int32Array(n - 1);
  for (let i = 1; i < n; i++) remaining[i - 1] = i;
  let count = n - 1;
  const best = new Float64Array(n).fill(Infinity);
  const bestFrom = new Int32Array(n);
  let current = 0;
  for (let edge = 0; edge < edges; edge++) {
    const currentCore = coreSquared[current] as number;
    const currentOffset = current * cols;
    let nextPosition = -1;
    let nextValue = Infinity;
    for (let position = 0; position < count; position++) {
      const w = remaining[position] as number;
      let bestW = best[w] as number;
      const floor = Math.max(currentCore, coreSquared[w] as number);
      if (floor < bestW) {
        const d = squaredDistance(data, currentOffset, w * cols, cols);
        const value = d > floor ? d : floor;
        if (value < bestW) {
          bestW = value;
          best[w] = value;
          bestFrom[w] = current;
        }
      }
      if (bestW < nextValue) {
        nextValue = bestW;
        nextPosition = position;
      }
    }
    const next = remaining[nextPosition] as number;
    from[edge] = bestFrom[next] as number;
    to[edge] = next;
    weight[edge] = Math.sqrt(nextValue);
    // swap-remove keeps the scan compact; order of `remaining` only affects ties
    count--;
    remaining[nextPosition] = remaining[count] as number;
    current = next;
  }
  return { from, to, weight };
}
