import type { KnnGraph } from '../knn/brute-force-knn.js';

/** A symmetric sparse graph as parallel COO arrays, both directions of every edge present. */
export interface FuzzyGraph {
  n: number;
  head: Int32Array;
  tail: Int32Array;
  weight: Float64Array;
}

const SMOOTH_K_TOLERANCE = 1e-5;
const MIN_K_DIST_SCALE = 1e-3;

/**
 * UMAP's fuzzy simplicial set from a kNN graph (self first): per point ρ (nearest non-zero distance)
 * and σ (binary search so Σ exp(−(d−ρ)/σ) = log2 k), memberships exp(−(d−ρ)/σ), then the fuzzy
 * union A + Aᵀ − A∘Aᵀ. Follows umap-learn's smooth_knn_dist with local_connectivity = 1.
 */
export function fuzzySimplicialSet(knn: KnnGraph, n: number): FuzzyGraph {
  const { k, indices, distances } = knn;
  const target = Math.log2(k);
  let total = 0;
  for (let t = 0; t < n * k; t++) total += distances[t] as number;
  const meanDistance = n * k > 0 ? total / (n * k) : 0;
  const rho = new Float64Array(n);
  const sigma = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const base = i * k;
    let rowSum = 0;
    let firstNonZero = 0;
    for (let j = 0; j < k; j++) {
      const d = distances[base + j] as number;
      rowSum += d;
      if (firstNonZero === 0 && d > 0) firstNonZero = d;
    }
    rho[i] = firstNonZero;
    let lo = 0;
    let hi = Infinity;
    let mid = 1;
    for (let iteration = 0; iteration < 64; iteration++) {
      let psum = 0;
      for (let j = 1; j < k; j++) {
        const d = (distances[base + j] as number) - firstNonZero;
        psum += d > 0 ? Math.exp(-d / mid) : 1;
      }
      if (Math.abs(psum - target) < SMOOTH_K_TOLERANCE) break;
      if (psum > target) {
        hi = mid;
        mid = (lo + hi) / 2;
      } else {
        lo = mid;
        mid = hi === Infinity ? mid * 2 : (lo + hi) / 2;
      }
    }
    const floor = MIN_K_DIST_SCALE * (firstNonZero > 0 ? rowSum / k : meanDistance);
    sigma[i] = Math.max(mid, floor);
  }
  // directed memberships, looked up by (i, j) through a per-row scan (k is small)
  const membership = new Float64Array(n * k);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < k; j++) {
      const slot = i * k + j;
      const neighbour = indices[slot] as number;
      if (neighbour === i || neighbour < 0) continue;
      const d = (distances[slot] as number) - (rho[i] as number);
      membership[slot] = d <= 0 || sigma[i] === 0 ? 1 : Math.exp(-d / (sigma[i] as number));
    }
  }
  const lookup = (from: number, to: number): number => {
    const base = from * k;
    for (let j = 0; j < k; j++) if (indices[base + j] === to) return membership[base + j] as number;
    return 0;
  };
  const heads: number[] = [];
  const tails: number[] = [];
  const weights: number[] = [];
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < k; j++) {
      const slot = i * k + j;
      const w = membership[slot] as number;
      if (w <= 0) continue;
      const other = indices[slot] as number;
      const back = lookup(other, i);
      const value = w + back - w * back;
      heads.push(i);
      tails.push(other);
      weights.push(value);
      // when other → i exists, that edge is emitted from the other side
      if (back === 0) {
        heads.push(other);
        tails.push(i);
        weights.push(value);
      }
    }
  }
  const order = Array.from(heads.keys()).sort((x, y) => (heads[x] as number) - (heads[y] as number) || (tails[x] as number) - (tails[y] as number));
  return {
    n,
    head: Int32Array.from(order, (t) => heads[t] as number),
    tail: Int32Array.from(order, (t) => tails[t] as number),
    weight: Float64Array.from(order, (t) => weights[t] as number),
  };
}
