/** A Ward dendrogram over m weighted points: internal node m + i is merges[i]; the last merge is the root. */
export interface WardDendrogram {
  /** Number of input points (leaves 0..m−1). */
  leaves: number;
  /** merges[i] joins `left` and `right` (ids < m are leaves, ≥ m earlier merges) into node m + i. */
  merges: Array<{ left: number; right: number; height: number; size: number }>;
  /** Weight (chunk count) of every node, leaves then merges. */
  sizes: number[];
}

/**
 * Ward's minimum-variance agglomeration of m weighted centroids (row-major m × dimension; weight =
 * how many chunks each stands for), by the nearest-neighbour chain algorithm (O(m²) time and memory).
 * The height of a merge is the increase of the within-cluster sum of squares, n_a·n_b/(n_a+n_b)·|c_a − c_b|².
 * Deterministic: ties go to the lower index.
 */
export function wardLinkage(centroids: Float64Array, weights: readonly number[], dimension: number): WardDendrogram {
  const m = weights.length;
  const sizes = [...weights];
  const merges: WardDendrogram['merges'] = [];
  if (m < 2) return { leaves: m, merges, sizes };
  const distance = new Float64Array(m * m);
  for (let i = 0; i < m; i++) {
    for (let j = i + 1; j < m; j++) {
      let squared = 0;
      for (let k = 0; k < dimension; k++) {
        const diff = centroids[i * dimension + k]! - centroids[j * dimension + k]!;
        squared += diff * diff;
      }
      const value = ((weights[i]! * weights[j]!) / (weights[i]! + weights[j]!)) * squared;
      distance[i * m + j] = value;
      distance[j * m + i] = value;
    }
  }
  const active = new Uint8Array(m).fill(1);
  const weight = Float64Array.from(weights);
  const nodeOf = Array.from({ length: m }, (_, i) => i); // slot → dendrogram node id
  const chain: number[] = [];
  for (let step = 0; step < m - 1; step++) {
    if (chain.length === 0) chain.push(active.indexOf(1));
    for (;;) {
      const a = chain[chain.length - 1]!;
      const previous = chain.length > 1 ? chain[chain.length - 2]! : -1;
      let best = previous;
      let bestDistance = previous >= 0 ? distance[a * m + previous]! : Infinity;
      for (let k = 0; k < m; k++) {
        if (k === a || !active[k]) continue;
        const value = distance[a * m + k]!;
        if (value < bestDistance || (value === bestDistance && k < best && best !== previous)) {
          best = k;
          bestDistance = value;
        }
      }
      if (best === previous) break;
      chain.push(best);
    }
    const b = chain.pop()!;
    const a = chain.pop()!;
    const [keep, drop] = a < b ? [a, b] : [b, a];
    const height = distance[keep * m + drop]!;
    const wa = weight[keep]!;
    const wb = weight[drop]!;
    for (let k = 0; k < m; k++) {
      if (!active[k] || k === keep || k === drop) continue;
      const wk = weight[k]!;
      const value = ((wk + wa) * distance[k * m + keep]! + (wk + wb) * distance[k * m + drop]! - wk * height) / (wk + wa + wb);
      distance[k * m + keep] = value;
      distance[keep * m + k] = value;
    }
    active[drop] = 0;
    weight[keep] = wa + wb;
    merges.push({ left: nodeOf[keep]!, right: nodeOf[drop]!, height, size: wa + wb });
    sizes.push(wa + wb);
    nodeOf[keep] = m + merges.length - 1;
  }
  return { leaves: m, merges, sizes };
}
