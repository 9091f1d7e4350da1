import { describe, expect, it } from 'vitest';
import { corpusIndexFromData, searchExact, type ClusterNode, type CorpusIndex, type IndexManifest, type SearchHit } from '@corpus-proximity/core';
import { createGaussian, createRandom, createRerankedSearch, loadUsearch } from '@corpus-proximity/core/internal';
import { nearestClusters } from './nearest-clusters.js';

const DIMENSION = 24;
const CLUSTERS = 10;
const PER_CLUSTER = 400;

/**
 * Tight clusters around centres at clearly different angles from cluster 0's (cosines 0.75, 0.6, …,
 * -0.45), so the nearest clusters to a chunk of cluster 0 have one right order; every chunk's
 * nearest few hundred neighbours lie in its own cluster.
 */
function tightClusters(): { embeddings: Float32Array; labels: string[] } {
  const gaussian = createGaussian(createRandom(7));
  const centres = Array.from({ length: CLUSTERS }, (_, cluster) => {
    const centre = new Array<number>(DIMENSION).fill(0);
    const cosine = cluster === 0 ? 1 : 0.9 - 0.15 * cluster;
    centre[0] = cosine;
    centre[cluster] = cluster === 0 ? 1 : Math.sqrt(1 - cosine * cosine);
    return centre;
  });
  const embeddings = new Float32Array(CLUSTERS * PER_CLUSTER * DIMENSION);
  const labels: string[] = [];
  for (let row = 0; row < CLUSTERS * PER_CLUSTER; row++) {
    const cluster = row % CLUSTERS;
    labels.push(`0.${cluster}`);
    const vector = centres[cluster]!.map((value) => value + gaussian() * 0.04);
    const norm = Math.hypot(...vector);
    vector.forEach((value, d) => (embeddings[row * DIMENSION + d] = value / norm));
  }
  return { embeddings, labels };
}

/** A flat two-level index over the tight clusters, searched exactly or through a real usearch HNSW graph. */
async function clusteredIndex(mode: 'exact' | 'ann'): Promise<{ index: CorpusIndex; searches: number[] }> {
  const { embeddings, labels } = tightClusters();
  const count = labels.length;
  const leaf = (cluster: number): ClusterNode => ({
    cluster_id: `0.${cluster}`,
    name: `Cluster ${cluster}`,
    depth: 1,
    size: PER_CLUSTER,
    silhouette: null,
    split_silhouette: null,
    noise_count: 0,
    samples: [cluster],
    centroid_row: cluster + 1,
    children: [],
    leaf_reason: 'max-depth',
  });
  const tree: ClusterNode = { ...leaf(0), cluster_id: '0', name: 'Corpus', depth: 0, size: count, centroid_row: 0, children: Array.from({ length: CLUSTERS }, (_, cluster) => leaf(cluster)) };
  delete tree.leaf_reason;
  // Only the root's centroid row is stored, so the leaves' centroids must be averaged from their members.
  const centroids = new Float32Array(DIMENSION);
  const manifest: IndexManifest = {
    format: 'corpus-proximity-index',
    format_version: 1,
    created_at: '2026-12-01T00:00:00.000Z',
    tool_version: '0.0.0-test',
    counts: { chunks: count, documents: count, sources: 1, clusters: CLUSTERS + 1, noise: 0, max_depth: 1 },
    dimension: DIMENSION,
    dtype: 'float32',
    embedder: { id: 'mock:m', provider: 'mock', model_id: 'm', dimensions: DIMENSION, settings: {}, state_files: [] },
    files: {},
  };
  const searches: number[] = [];
  let search: ReturnType<typeof createRerankedSearch> | undefined;
  if (mode === 'ann') {
    const usearch = await loadUsearch();
    const graph = new usearch.Index({ dimensions: DIMENSION, metric: 'ip', quantization: 'f16', connectivity: 16, expansion_add: 128, expansion_search: 128, multi: false });
    const keys = new BigUint64Array(count);
    for (let row = 0; row < count; row++) keys[row] = BigInt(row);
    graph.add(keys, embeddings, 1);
    const reranked = createRerankedSearch(graph, embeddings, DIMENSION, 2);
    search = {
      search: (query, k) => (searches.push(k), reranked.search(query, k)),
      searchMany: (queries, k) => (searches.push(k), reranked.searchMany(queries, k)),
    };
  }
  const index = corpusIndexFromData(
    {
      chunks: labels.map((label, row) => `chunk ${row} of ${label}`),
      metadata: labels.map((_, row) => ({ source: 'x.jsonl', shard_id: 0, chunk_id: row, corpus_stage: 'pretrain', line: row + 1, char_start: 0, char_end: 1 })),
      embeddings,
      dimension: DIMENSION,
      tree,
      centroids,
      assignment: { clusters: labels, noise: [] },
      stats: {},
      config: {},
      embedder: { provider: 'mock', modelId: 'm', dimensions: DIMENSION },
      documents: count,
      sources: 1,
    },
    { directory: '/tmp/nearest-clusters-test', manifest, ...(search ? { search } : {}) },
  );
  return { index, searches };
}

/** Brute force: every cluster's nearest chunk, nearest first. */
function exactClusterRanking(index: CorpusIndex, query: Float32Array): SearchHit[] {
  const best = new Map<string, SearchHit>();
  for (const hit of searchExact(index.embeddings, index.dimension, query, index.count)) {
    const cluster = index.assignment.clusters[hit.idx]!;
    if (!best.has(cluster)) best.set(cluster, hit);
  }
  return [...best.values()];
}

describe('nearestClusters', () => {
  it('completes an approximate search that stays inside one cluster from the centroids, after two wider graph searches', async () => {
    const { index, searches } = await clusteredIndex('ann');
    const query = index.embeddings.slice(0, DIMENSION); // a chunk of cluster 0.0
    const hits = nearestClusters(index, query, 4, 10);
    // 10, 40 and 160 candidates all lie in the query's own cluster of 400; no fourth, wider search.
    expect(searches).toEqual([10, 40, 160]);
    expect(hits).toHaveLength(4);
    const exact = exactClusterRanking(index, query);
    expect(hits[0]).toMatchObject({ clusterId: '0.0', chunkIdx: exact[0]!.idx, distance: exact[0]!.distance });
    // The same clusters as brute force, nearest first, each represented by a real member no nearer than the cluster's nearest chunk.
    expect(new Set(hits.map((hit) => hit.clusterId))).toEqual(new Set(exact.slice(0, 4).map((hit) => index.assignment.clusters[hit.idx])));
    for (const hit of hits) {
      expect(index.assignment.clusters[hit.chunkIdx]).toBe(hit.clusterId);
      let dot = 0;
      for (let d = 0; d < DIMENSION; d++) dot += index.embeddings[hit.chunkIdx * DIMENSION + d]! * query[d]!;
      expect(hit.distance).toBeCloseTo(Math.max(0, 1 - dot), 6);
      const nearest = exact.find((candidate) => index.assignment.clusters[candidate.idx] === hit.clusterId)!;
      expect(hit.distance).toBeGreaterThanOrEqual(nearest.distance - 1e-6);
      expect(hit.distance - nearest.distance).toBeLessThan(0.05);
    }
    expect(hits.map((hit) => hit.distance)).toEqual(hits.map((hit) => hit.distance).sort((a, b) => a - b));
    expect(nearestClusters(index, query, 4, 10)).toEqual(hits);
  });

  it('completes an exact search that stays inside one cluster with one pass over every chunk, exactly as brute force ranks', async () => {
    const { index } = await clusteredIndex('exact');
    const query = index.embeddings.slice(0, DIMENSION);
    const hits = nearestClusters(index, query, 6, 10);
    const exact = exactClusterRanking(index, query).slice(0, 6);
    expect(hits.map((hit) => [hit.clusterId, hit.chunkIdx, hit.distance])).toEqual(exact.map((hit) => [index.assignment.clusters[hit.idx], hit.idx, hit.distance]));
  });
});
