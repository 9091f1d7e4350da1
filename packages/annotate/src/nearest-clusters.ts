import type { CorpusIndex, SearchHit } from '@corpus-proximity/core';

/** One of the nearest clusters to a query: the cluster, and its chunk nearest the query. */
export interface ClusterHit {
  /** Deepest cluster of the chunk (for a noise chunk, the node that called it noise). */
  clusterId: string;
  chunkIdx: number;
  /** Cosine distance from the query to that chunk. */
  distance: number;
  /** The chunk was clusterer noise: in a layered tree it still sits in its nearest leaf ("near cluster X, but an outlier there"). */
  isNoise: boolean;
  /** The chunk's GLOSH outlier score (0–1, higher = more of an outlier) when the index records one (layered tree). */
  outlierScore?: number | null;
}

/** How many more candidates each retry asks for, and how many retries at most, when too few clusters were found. */
const GROWTH = 4;
const MAX_RETRIES = 3;

/**
 * The k distinct deepest clusters nearest a normalized query, ranked by the distance of each
 * cluster's nearest chunk. Searches `candidates` chunks first and more when they cover fewer than
 * k clusters (`firstHits`, when given, are the first `candidates` hits already searched); returns fewer than k when the index has fewer clusters or the retries run out.
 * Chunks left as noise at the root belong to no cluster, so they are passed over (unless the tree
 * was never split, when the root is the only cluster there is).
 */
export function nearestClusters(index: CorpusIndex, query: Float32Array, k: number, candidates: number, firstHits?: SearchHit[]): ClusterHit[] {
  const { clusterCount, noise, rootId } = indexFacts(index);
  const wanted = Math.min(k, clusterCount);
  let take = Math.min(index.count, Math.max(candidates, k));
  for (let attempt = 0; ; attempt++) {
    const found: ClusterHit[] = [];
    const seen = new Set<string>();
    // The first round may come precomputed from a batched search (index.searchMany).
    const hits = attempt === 0 && firstHits && firstHits.length >= Math.min(take, index.count) ? firstHits : index.search(query, take);
    for (const hit of hits) {
      const clusterId = index.assignment.clusters[hit.idx];
      if (clusterId === undefined || clusterId === rootId || seen.has(clusterId)) continue;
      seen.add(clusterId);
      found.push({ clusterId, chunkIdx: hit.idx, distance: hit.distance, isNoise: noise.has(hit.idx), ...(index.assignment.outlier_scores ? { outlierScore: index.assignment.outlier_scores[hit.idx] ?? null } : {}) });
      if (found.length === wanted) return found;
    }
    if (take >= index.count || attempt >= MAX_RETRIES) return found;
    take = Math.min(index.count, take * GROWTH);
  }
}

interface IndexFacts {
  clusterCount: number;
  noise: Set<number>;
  /** The root's id when root-level noise is passed over; undefined when the root is the only cluster. */
  rootId: string | undefined;
}

const facts = new WeakMap<CorpusIndex, IndexFacts>();

/** Number of distinct deepest clusters (root excluded when it has children) and the noise chunks, computed once per index. */
function indexFacts(index: CorpusIndex): IndexFacts {
  let result = facts.get(index);
  if (!result) {
    const rootId = index.tree.children.length > 0 ? index.tree.cluster_id : undefined;
    const clusters = new Set(index.assignment.clusters);
    if (rootId !== undefined) clusters.delete(rootId);
    result = { clusterCount: clusters.size, noise: new Set(index.assignment.noise), rootId };
    facts.set(index, result);
  }
  return result;
}
