import type { CorpusIndex } from '@corpus-proximity/core';

/** One of the nearest clusters to a query: the cluster, and its chunk nearest the query. */
export interface ClusterHit {
  /** Deepest cluster of the chunk (for a noise chunk, the node that called it noise). */
  clusterId: string;
  chunkIdx: number;
  /** Cosine distance from the query to that chunk. */
  distance: number;
  isNoise: boolean;
}

/** How many more candidates each retry asks for, and how many retries at most, when too few clusters were found. */
const GROWTH = 4;
const MAX_RETRIES = 3;

/**
 * The k distinct deepest clusters nearest a normalized query, ranked by the distance of each
 * cluster's nearest chunk. Searches `candidates` chunks first and more when they cover fewer than
 * k clusters; returns fewer than k when the index has fewer clusters or the retries run out.
 */
export function nearestClusters(index: CorpusIndex, query: Float32Array, k: number, candidates: number): ClusterHit[] {
  const { clusterCount, noise } = indexFacts(index);
  const wanted = Math.min(k, clusterCount);
  let take = Math.min(index.count, Math.max(candidates, k));
  for (let attempt = 0; ; attempt++) {
    const found: ClusterHit[] = [];
    const seen = new Set<string>();
    for (const hit of index.search(query, take)) {
      const clusterId = index.assignment.clusters[hit.idx];
      if (clusterId === undefined || seen.has(clusterId)) continue;
      seen.add(clusterId);
      found.push({ clusterId, chunkIdx: hit.idx, distance: hit.distance, isNoise: noise.has(hit.idx) });
      if (found.length === wanted) return found;
    }
    if (take >= index.count || attempt >= MAX_RETRIES) return found;
    take = Math.min(index.count, take * GROWTH);
  }
}

const facts = new WeakMap<CorpusIndex, { clusterCount: number; noise: Set<number> }>();

/** Number of distinct deepest clusters and the set of noise chunks, computed once per index. */
function indexFacts(index: CorpusIndex): { clusterCount: number; noise: Set<number> } {
  let result = facts.get(index);
  if (!result) {
    result = { clusterCount: new Set(index.assignment.clusters).size, noise: new Set(index.assignment.noise) };
    facts.set(index, result);
  }
  return result;
}
