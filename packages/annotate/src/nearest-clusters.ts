import type { CorpusIndex, SearchHit } from '@corpus-proximity/core';
import { rerank } from '@corpus-proximity/core/internal';

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

/** How many more candidates each wider approximate search asks for. */
const GROWTH = 4;

/** Members of a cluster scanned when completing an approximate search from centroids. */
const REPRESENTATIVES = 256;

/**
 * Wider graph searches tried (4× and 16× the first) before an approximate search falls back to
 * centroids: measured on a 100K × 384 mixture with a 200-leaf tree, two keep per-rank cluster
 * agreement with exact search at 0.96 for ~16 ms per 10-sentence output (docs/benchmarks.md).
 */
const ANN_GRAPH_RETRIES = 2;

/**
 * The k distinct deepest clusters nearest a normalized query, ranked by the distance of each
 * cluster's nearest chunk. Searches `candidates` chunks first (`firstHits`, when given, are the
 * first `candidates` hits already searched). When they cover fewer than k clusters:
 * - exact search (searchMode 'exact') makes one pass over every chunk, keeping each cluster's
 *   nearest, so the answer is exact whatever k;
 * - approximate search (searchMode 'ann') tries two wider graph searches, then ranks the clusters
 *   not yet found by their centroid's similarity and takes, for the nearest few, the nearest of up
 *   to 256 evenly spaced members: a real chunk of that cluster whose distance is an upper bound of
 *   the cluster's true nearest distance.
 * Returns fewer than k only when the index has fewer clusters. Chunks left as noise at the root
 * belong to no cluster, so they are passed over (unless the tree was never split, when the root is
 * the only cluster there is).
 */
export function nearestClusters(index: CorpusIndex, query: Float32Array, k: number, candidates: number, firstHits?: SearchHit[]): ClusterHit[] {
  const facts = indexFacts(index);
  const wanted = Math.min(k, facts.clusterCount);
  let take = Math.min(index.count, Math.max(candidates, k));
  for (let attempt = 0; ; attempt++) {
    const found: ClusterHit[] = [];
    const seen = new Set<string>();
    // The first round may come precomputed from a batched search (index.searchMany).
    const hits = attempt === 0 && firstHits && firstHits.length >= Math.min(take, index.count) ? firstHits : index.search(query, take);
    for (const { idx, distance } of hits) {
      const clusterId = index.assignment.clusters[idx];
      if (clusterId === undefined || clusterId === facts.rootId || seen.has(clusterId)) continue;
      seen.add(clusterId);
      found.push(clusterHit(index, facts, idx, clusterId, distance));
      if (found.length === wanted) return found;
    }
    if (take >= index.count) return found;
    if (index.searchMode !== 'ann') return nearestPerCluster(index, facts, query, wanted);
    if (attempt >= ANN_GRAPH_RETRIES) return [...found, ...nearestByCentroid(index, facts, query, seen, wanted - found.length)];
    take = Math.min(index.count, take * GROWTH);
  }
}

/** The `wanted` clusters nearest the query by exact distance, from one pass over every chunk (ties: the lower row). */
function nearestPerCluster(index: CorpusIndex, facts: IndexFacts, query: Float32Array, wanted: number): ClusterHit[] {
  const { ids, rowCluster } = clusterSketch(index, facts);
  const bestRow = new Int32Array(ids.length).fill(-1);
  const bestSimilarity = new Float64Array(ids.length).fill(-Infinity);
  for (let row = 0; row < index.count; row++) {
    const cluster = rowCluster[row]!;
    if (cluster < 0) continue;
    const similarity = dot(index.embeddings, row * index.dimension, query, index.dimension);
    if (similarity > bestSimilarity[cluster]!) [bestRow[cluster], bestSimilarity[cluster]] = [row, similarity];
  }
  const hits: ClusterHit[] = [];
  for (let cluster = 0; cluster < ids.length; cluster++) {
    if (bestRow[cluster]! >= 0) hits.push(clusterHit(index, facts, bestRow[cluster]!, ids[cluster]!, Math.max(0, 1 - bestSimilarity[cluster]!)));
  }
  hits.sort((a, b) => a.distance - b.distance || a.chunkIdx - b.chunkIdx);
  return hits.slice(0, wanted);
}

function clusterHit(index: CorpusIndex, facts: IndexFacts, idx: number, clusterId: string, distance: number): ClusterHit {
  return {
    clusterId,
    chunkIdx: idx,
    distance,
    isNoise: facts.noise.has(idx),
    ...(index.assignment.outlier_scores ? { outlierScore: index.assignment.outlier_scores[idx] ?? null } : {}),
  };
}

/**
 * `need` more clusters, none of them in `seen`: the clusters whose centroids are most similar to the
 * query (a few more than needed, since a centroid only estimates where a cluster's nearest chunk
 * lies), each represented by the nearest of its sampled members; nearest first.
 */
function nearestByCentroid(index: CorpusIndex, facts: IndexFacts, query: Float32Array, seen: Set<string>, need: number): ClusterHit[] {
  if (need <= 0) return [];
  const { ids, centroids, members } = clusterSketch(index, facts);
  const dimension = index.dimension;
  const similarities: Array<{ cluster: number; similarity: number }> = [];
  for (let cluster = 0; cluster < ids.length; cluster++) {
    if (seen.has(ids[cluster]!)) continue;
    similarities.push({ cluster, similarity: dot(centroids, cluster * dimension, query, dimension) });
  }
  similarities.sort((a, b) => b.similarity - a.similarity || a.cluster - b.cluster);
  const probed = similarities.slice(0, Math.max(2 * need, need + 4)).map(({ cluster }) => {
    const [nearest] = rerank(index.embeddings, dimension, query, members[cluster]!, 1);
    return clusterHit(index, facts, nearest!.idx, ids[cluster]!, nearest!.distance);
  });
  probed.sort((a, b) => a.distance - b.distance || a.chunkIdx - b.chunkIdx);
  return probed.slice(0, need);
}

function dot(matrix: Float32Array, offset: number, query: Float32Array, dimension: number): number {
  let sum = 0;
  for (let d = 0; d < dimension; d++) sum += matrix[offset + d]! * query[d]!;
  return sum;
}

interface IndexFacts {
  clusterCount: number;
  noise: Set<number>;
  /** The root's id when root-level noise is passed over; undefined when the root is the only cluster. */
  rootId: string | undefined;
  sketch?: ClusterSketch;
}

/** Per deepest cluster: its id, its centroid and up to REPRESENTATIVES evenly spaced member rows. */
interface ClusterSketch {
  ids: string[];
  /** Row-major ids.length × dimension, unit rows (the tree's centroids.npy rows when present). */
  centroids: Float32Array;
  members: number[][];
  /** Each row's position in ids; -1 for root-level noise. */
  rowCluster: Int32Array;
}

const factsByIndex = new WeakMap<CorpusIndex, IndexFacts>();

/** Number of distinct deepest clusters (root excluded when it has children) and the noise chunks, computed once per index. */
function indexFacts(index: CorpusIndex): IndexFacts {
  let result = factsByIndex.get(index);
  if (!result) {
    const rootId = index.tree.children.length > 0 ? index.tree.cluster_id : undefined;
    const clusters = new Set(index.assignment.clusters);
    if (rootId !== undefined) clusters.delete(rootId);
    result = { clusterCount: clusters.size, noise: new Set(index.assignment.noise), rootId };
    factsByIndex.set(index, result);
  }
  return result;
}

/** The cluster sketch, built on first use (one pass over the assignment; centroids from centroids.npy, or averaged once when it has none). */
function clusterSketch(index: CorpusIndex, facts: IndexFacts): ClusterSketch {
  if (facts.sketch) return facts.sketch;
  const dimension = index.dimension;
  const position = new Map<string, number>();
  const rows: number[][] = [];
  const rowCluster = new Int32Array(index.count).fill(-1);
  index.assignment.clusters.forEach((clusterId, row) => {
    if (clusterId === facts.rootId) return;
    let at = position.get(clusterId);
    if (at === undefined) {
      at = rows.length;
      position.set(clusterId, at);
      rows.push([]);
    }
    rows[at]!.push(row);
    rowCluster[row] = at;
  });
  const ids = [...position.keys()];
  const centroids = new Float32Array(ids.length * dimension);
  ids.forEach((id, cluster) => {
    const node = index.getNode(id);
    const stored = node && index.centroids.length >= (node.centroid_row + 1) * dimension ? index.centroids.subarray(node.centroid_row * dimension, (node.centroid_row + 1) * dimension) : undefined;
    const target = centroids.subarray(cluster * dimension, (cluster + 1) * dimension);
    if (stored) target.set(stored);
    else for (const row of rows[cluster]!) for (let d = 0; d < dimension; d++) target[d]! += index.embeddings[row * dimension + d]!;
    const norm = Math.hypot(...target);
    if (norm > 0) for (let d = 0; d < dimension; d++) target[d]! /= norm;
  });
  const members = rows.map((list) => {
    const step = Math.max(1, list.length / REPRESENTATIVES);
    return Array.from({ length: Math.min(list.length, REPRESENTATIVES) }, (_, i) => list[Math.floor(i * step)]!);
  });
  facts.sketch = { ids, centroids, members, rowCluster };
  return facts.sketch;
}
