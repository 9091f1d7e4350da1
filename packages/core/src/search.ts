import type { SearchHit } from './corpus-index.js';

/** Exact k nearest rows of a row-major matrix of L2-normalized vectors to a normalized query, by cosine distance. */
export function searchExact(embeddings: Float32Array, dimension: number, query: Float32Array, k: number): SearchHit[] {
  return searchExactMany(embeddings, dimension, [query], k)[0]!;
}

/** Queries scored together in one pass over the matrix: each row is read once per block, not once per query. */
const QUERY_BLOCK = 16;

/**
 * Exact k nearest rows for many queries at once, nearest first. The same answers as searchExact
 * for each query, several times faster for batches because the matrix is scanned once per block of queries.
 */
export function searchExactMany(embeddings: Float32Array, dimension: number, queries: readonly Float32Array[], k: number): SearchHit[][] {
  const count = dimension === 0 ? 0 : embeddings.length / dimension;
  const take = Math.min(k, count);
  const results: SearchHit[][] = [];
  for (let start = 0; start < queries.length; start += QUERY_BLOCK) {
    const block = queries.slice(start, start + QUERY_BLOCK);
    const tops = block.map(() => ({ idx: new Int32Array(Math.max(take, 0)).fill(-1), sim: new Float64Array(Math.max(take, 0)).fill(-Infinity) }));
    if (take > 0) {
      for (let row = 0; row < count; row++) {
        const offset = row * dimension;
        for (let q = 0; q < block.length; q++) {
          const query = block[q]!;
          let sim = 0;
          for (let d = 0; d < dimension; d++) sim += embeddings[offset + d]! * query[d]!;
          const top = tops[q]!;
          if (sim > top.sim[take - 1]!) insert(top.idx, top.sim, take, row, sim);
        }
      }
    }
    for (const top of tops) {
      const hits: SearchHit[] = [];
      for (let i = 0; i < take; i++) hits.push({ idx: top.idx[i]!, distance: Math.max(0, 1 - top.sim[i]!) });
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
