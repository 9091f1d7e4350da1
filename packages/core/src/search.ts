import type { SearchHit } from './corpus-index.js';

/** Exact k nearest rows of a row-major matrix of L2-normalized vectors to a normalized query, by cosine distance. */
export function searchExact(embeddings: Float32Array, dimension: number, query: Float32Array, k: number): SearchHit[] {
  const count = dimension === 0 ? 0 : embeddings.length / dimension;
  const take = Math.min(k, count);
  if (take <= 0) return [];
  // Keep the best `take` similarities in a small sorted buffer (k is small compared to N).
  const bestIdx = new Int32Array(take).fill(-1);
  const bestSim = new Float64Array(take).fill(-Infinity);
  for (let row = 0; row < count; row++) {
    const offset = row * dimension;
    let sim = 0;
    for (let d = 0; d < dimension; d++) sim += embeddings[offset + d]! * query[d]!;
    if (sim <= bestSim[take - 1]!) continue;
    let position = take - 1;
    while (position > 0 && bestSim[position - 1]! < sim) {
      bestSim[position] = bestSim[position - 1]!;
      bestIdx[position] = bestIdx[position - 1]!;
      position--;
    }
    bestSim[position] = sim;
    bestIdx[position] = row;
  }
  const hits: SearchHit[] = [];
  for (let i = 0; i < take; i++) hits.push({ idx: bestIdx[i]!, distance: Math.max(0, 1 - bestSim[i]!) });
  return hits;
}
