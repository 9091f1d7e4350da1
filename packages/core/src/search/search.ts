import type { SearchHit } from '../index-format/corpus-index.js';

/** Exact k nearest rows of a row-major matrix of L2-normalized vectors to a normalized query, by cosine distance. */
export function searchExact(embeddings: Float32Array, dimension: number, query: Float32Array, k: number): SearchHit[] {
  return searchExactMany(embeddings, dimension, [query], k)[0]!;
}

/** Queries scored together in one pass: each matrix value is loaded once for four dot products (register blocking). */
const QUERY_BLOCK = 4;

/**
 * Exact k nearest rows for many queries at once, nearest first. The same answers as searchExact
 * for each query, about twice as fast per query, because four queries share each pass over the matrix.
 */
export function searchExactMany(embeddings: Float32Array, dimension: number, queries: readonly Float32Array[], k: number): SearchHit[][] {
  const count = dimension === 0 ? 0 : embeddings.length / dimension;
  const take = Math.max(0, Math.min(k, count));
  const results: SearchHit[][] = [];
  for (let start = 0; start < queries.length; start += QUERY_BLOCK) {
    const active = Math.min(QUERY_BLOCK, queries.length - start);
    // A short last block repeats its last query; the repeats are scored but never read (a lone query is scored alone).
    const [q0, q1, q2, q3] = [0, 1, 2, 3].map((offset) => queries[start + Math.min(offset, active - 1)]!) as [Float32Array, Float32Array, Float32Array, Float32Array];
    const bestIdx = Array.from({ length: active }, () => new Int32Array(take).fill(-1));
    const bestSim = Array.from({ length: active }, () => new Float64Array(take).fill(-Infinity));
    const sims = new Float64Array(QUERY_BLOCK);
    for (let row = 0; take > 0 && row < count; row++) {
      const offset = row * dimension;
      let s0 = 0;
      let s1 = 0;
      let s2 = 0;
      let s3 = 0;
      if (active === 1) {
        for (let d = 0; d < dimension; d++) s0 += embeddings[offset + d]! * q0[d]!;
      } else {
        for (let d = 0; d < dimension; d++) {
          const value = embeddings[offset + d]!;
          s0 += value * q0[d]!;
          s1 += value * q1[d]!;
          s2 += value * q2[d]!;
          s3 += value * q3[d]!;
        }
      }
      sims[0] = s0;
      sims[1] = s1;
      sims[2] = s2;
      sims[3] = s3;
      for (let q = 0; q < active; q++) {
        const sim = sims[q]!;
        if (sim > bestSim[q]![take - 1]!) insert(bestIdx[q]!, bestSim[q]!, take, row, sim);
      }
    }
    for (let q = 0; q < active; q++) {
      const hits: SearchHit[] = [];
      for (let i = 0; i < take; i++) hits.push({ idx: bestIdx[q]![i]!, distance: Math.max(0, 1 - bestSim[q]![i]!) });
      results.push(hits);
    }
  }
  return results;
}

// Insertion into a small buffer sorted by similarity, descending; ties keep the lower row first.
function insert(bestIdx: Int32Array, bestSim: Float64Array, take: number, row: number, sim: number): void {
  let position = take - 1;
  while (position > 0 && bestSim[position - 1]! < sim) {
    bestSim[position] = bestSim[position - 1]!;
    bestIdx[position] = bestIdx[position - 1]!;
    position--;
  }
  bestSim[position] = sim;
  bestIdx[position] = row;
}
