import type { SearchHit } from '../index-format/corpus-index.js';
import type { UsearchIndex } from './load-usearch.js';

/** An approximate search: HNSW candidates, then exact cosine distances against the float32 embeddings. */
export interface RerankedSearch {
  search(query: Float32Array, k: number): SearchHit[];
  searchMany(queries: readonly Float32Array[], k: number): SearchHit[][];
}

/**
 * Wraps an HNSW graph so each query asks it for rerankFactor·k candidates (at most k + 100) and returns the k nearest
 * of them by exact cosine distance, computed from `embeddings` exactly as searchExact does (so a
 * returned distance equals the exact one bit for bit). Keys of the graph are row numbers.
 */
export function createRerankedSearch(graph: UsearchIndex, embeddings: Float32Array, dimension: number, rerankFactor: number): RerankedSearch {
  const count = embeddings.length / dimension;
  // The extra candidates only fix the order near the k-th; past 100 extra they cost more than they find (large k comes from annotate's retries).
  const candidatesFor = (k: number) => Math.min(count, Math.max(k, Math.min(Math.ceil(k * rerankFactor), k + 100)));
  const searchMany = (queries: readonly Float32Array[], k: number): SearchHit[][] => {
    const take = Math.max(0, Math.min(k, count));
    if (take === 0 || queries.length === 0) return queries.map(() => []);
    const wanted = candidatesFor(take);
    const flat = new Float32Array(queries.length * dimension);
    queries.forEach((query, position) => flat.set(query, position * dimension));
    // One thread for a single query (no pool start-up); all cores for a batch.
    const result = graph.search(flat, wanted, queries.length === 1 ? 1 : 0);
    return queries.map((query, position) => {
      const found = result.counts ? Number(result.counts[position]) : Math.min(wanted, result.keys.length);
      const rows: number[] = [];
      for (let i = 0; i < found; i++) rows.push(Number(result.keys[position * wanted + i]));
      return rerank(embeddings, dimension, query, rows, take);
    });
  };
  return { search: (query, k) => searchMany([query], k)[0]!, searchMany };
}

/** The k rows of `rows` nearest the query by exact cosine distance; ties keep the lower row first, as searchExact does. */
export function rerank(embeddings: Float32Array, dimension: number, query: Float32Array, rows: readonly number[], k: number): SearchHit[] {
  const scored = rows.map((row) => {
    const offset = row * dimension;
    // The same accumulation, in the same order, as searchExact: the distances match it exactly.
    let sim = 0;
    for (let d = 0; d < dimension; d++) sim += embeddings[offset + d]! * query[d]!;
    return { row, sim };
  });
  scored.sort((a, b) => b.sim - a.sim || a.row - b.row);
  return scored.slice(0, k).map(({ row, sim }) => ({ idx: row, distance: Math.max(0, 1 - sim) }));
}
