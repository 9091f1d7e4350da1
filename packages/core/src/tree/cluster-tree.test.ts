import { describe, expect, it } from 'vitest';
import { AUTO_FIT_SAMPLE, buildClusterTree, minClusterSizeFor, resolveFitSample, walkBreadthFirst } from './cluster-tree.js';
import { InvalidInputError } from '../errors.js';
import { ROUTING_NOISE_QUANTILE } from './route-to-cluster-tree.js';
import { silhouetteScores } from './silhouette.js';
import { createMockClusterer, makeBlobs } from '../test/index.js';
import type { ClusterNode } from '../types.js';

function flatten(vectors: Float32Array[]): Float32Array {
  const out = new Float32Array(vectors.length * vectors[0]!.length);
  vectors.forEach((vector, i) => out.set(vector, i * vector.length));
  return out;
}

describe('minClusterSizeFor', () => {
  it('follows max(floor, n·basePct·decay^depth) with floor = max(10, 50/2^depth)', () => {
    const settings = { basePct: 0.05, decay: 0.7 };
    expect(minClusterSizeFor(100_000, 0, settings)).toBe(5000);
    expect(minClusterSizeFor(10_000, 1, settings)).toBe(350);
    expect(minClusterSizeFor(500, 0, settings)).toBe(50);
    expect(minClusterSizeFor(500, 1, settings)).toBe(25);
    expect(minClusterSizeFor(100, 3, settings)).toBe(10);
  });
});

describe('silhouetteScores', () => {
  it('is near 1 for separated blobs and null for one cluster', () => {
    const { vectors, truth } = makeBlobs({ blobs: 3, perBlob: 30 });
    const data = flatten(vectors);
    const rows = vectors.map((_, i) => i);
    const result = silhouetteScores(data, vectors[0]!.length, rows, Int32Array.from(truth));
    expect(result.mean!).toBeGreaterThan(0.9);
    expect(result.perCluster.size).toBe(3);
    expect(silhouetteScores(data, vectors[0]!.length, rows, new Int32Array(rows.length)).mean).toBeNull();
    // Shuffled labels make a poor clustering.
    const shuffled = Int32Array.from(truth.map((_, i) => i % 3));
    expect(silhouetteScores(data, vectors[0]!.length, rows, shuffled).mean!).toBeLessThan(0.1);
  });
});

describe('buildClusterTree', () => {
  // Four blobs, each made of two tight sub-blobs: the root splits, and loose children split again.
  function nestedBlobs() {
    const { vectors } = makeBlobs({ blobs: 4, perBlob: 150, dimension: 24, spread: 0.35, seed: 4 });
    return vectors;
  }

  it('splits recursively, assigns every chunk, counts noise and numbers centroids breadth-first', async () => {
    const vectors = nestedBlobs();
    const dimension = vectors[0]!.length;
    const clusterer = createMockClusterer();
    const result = await buildClusterTree(flatten(vectors), dimension, clusterer, { seed: 1, settings: { tree: 'recursive' } });
    expect(result.tree.cluster_id).toBe('0');
    expect(result.tree.children.length).toBeGreaterThanOrEqual(2);
    expect(result.assignment.clusters).toHaveLength(vectors.length);
    const ids = new Set<string>();
    const order: string[] = [];
    walkBreadthFirst(result.tree, (node) => {
      ids.add(node.cluster_id);
      order.push(node.cluster_id);
      const childSizes = node.children.reduce((sum, child) => sum + child.size, 0);
      if (node.children.length > 0) expect(childSizes + node.noise_count).toBe(node.size);
      node.children.forEach((child, i) => {
        expect(child.cluster_id).toBe(`${node.cluster_id}.${i}`);
        expect(child.depth).toBe(node.depth + 1);
      });
      if (node.children.length === 0) expect(node.leaf_reason).toBeDefined();
    });
    for (const cluster of result.assignment.clusters) expect(ids.has(cluster)).toBe(true);
    // Centroid rows follow breadth-first order and are unit vectors.
    const rows: number[] = [];
    walkBreadthFirst(result.tree, (node) => rows.push(node.centroid_row));
    expect(rows).toEqual(order.map((_, i) => i));
    expect(result.centroids.length).toBe(order.length * dimension);
    // Noise chunks are assigned to the node that called them noise.
    const totalNoise = countNoise(result.tree);
    expect(result.assignment.noise.length).toBe(totalNoise);
    // The clusterer got the seed-004 min_cluster_size for each call.
    expect(clusterer.calls[0]).toEqual({ size: 600, depth: 0, minClusterSize: 50 });
  });

  it('gates recursion on silhouette and max depth', async () => {
    const vectors = nestedBlobs();
    const data = flatten(vectors);
    const dimension = vectors[0]!.length;
    const strict = await buildClusterTree(data, dimension, createMockClusterer(), { seed: 1, settings: { tree: 'recursive', silhouetteThreshold: -1 } });
    // Nothing is below −1, so no child is split: one level only.
    for (const child of strict.tree.children) {
      expect(child.children).toHaveLength(0);
      expect(child.leaf_reason).toBe('coherent');
    }
    const shallow = await buildClusterTree(data, dimension, createMockClusterer(), { seed: 1, settings: { tree: 'recursive', maxDepth: 1, silhouetteThreshold: 2 } });
    for (const child of shallow.tree.children) expect(child.leaf_reason).toBe('max-depth');
    const deep = await buildClusterTree(data, dimension, createMockClusterer(), { seed: 1, settings: { tree: 'recursive', silhouetteThreshold: 2 } });
    expect(depthOf(deep.tree)).toBeGreaterThanOrEqual(2);
  });

  it('gives an identical tree for the same seed', async () => {
    const vectors = nestedBlobs();
    const data = flatten(vectors);
    const first = await buildClusterTree(data, vectors[0]!.length, createMockClusterer(), { seed: 5, settings: { tree: 'recursive' } });
    const second = await buildClusterTree(data, vectors[0]!.length, createMockClusterer(), { seed: 5, settings: { tree: 'recursive' } });
    expect(JSON.stringify(second.tree)).toBe(JSON.stringify(first.tree));
  });
});

describe('buildClusterTree with fitSample', () => {
  // Four blobs of 600 points: real structure, so a fit on 500 of them should find the same leaves.
  function blobs() {
    const { vectors } = makeBlobs({ blobs: 4, perBlob: 600, dimension: 24, spread: 0.35, seed: 9 });
    return { data: flatten(vectors), dimension: 24, count: vectors.length };
  }

  it('fits on a seeded sample, routes the rest, and agrees with the full fit on >= 90% of leaves', async () => {
    const { data, dimension, count } = blobs();
    const full = await buildClusterTree(data, dimension, createMockClusterer(), { seed: 3, settings: { tree: 'recursive' } });
    const clusterer = createMockClusterer();
    const sampled = await buildClusterTree(data, dimension, clusterer, { seed: 3, settings: { tree: 'recursive', fitSample: 500 } });
    // Only the sample reached the clusterer.
    expect(clusterer.calls[0]!.size).toBe(500);
    expect(sampled.fittedChunks).toBe(500);
    expect(full.fittedChunks).toBe(count);
    expect(leafAgreement(full.assignment.clusters, sampled.assignment.clusters)).toBeGreaterThanOrEqual(0.9);
    // Sizes, noise and members include the routed chunks.
    expect(sampled.tree.size).toBe(count);
    expect(sampled.members.get('0')).toHaveLength(count);
    walkBreadthFirst(sampled.tree, (node) => {
      expect(sampled.members.get(node.cluster_id)).toHaveLength(node.size);
      if (node.children.length > 0) expect(node.children.reduce((sum, child) => sum + child.size, 0) + node.noise_count).toBe(node.size);
    });
    expect(sampled.assignment.noise.length).toBe(countNoise(sampled.tree));
    expect(new Set(sampled.assignment.noise).size).toBe(sampled.assignment.noise.length);
    // Centroids are the unit mean of all members, routed ones included.
    const first = sampled.tree.children[0]!;
    const members = sampled.members.get(first.cluster_id)!;
    const mean = new Float64Array(dimension);
    for (const row of members) for (let d = 0; d < dimension; d++) mean[d]! += data[row * dimension + d]!;
    const norm = Math.hypot(...mean);
    for (let d = 0; d < dimension; d++) expect(sampled.centroids[first.centroid_row * dimension + d]!).toBeCloseTo(mean[d]! / norm, 5);
    // Neighbour routing agrees as well, and makes the sample's noise neighbourhoods noise.
    const neighbors = await buildClusterTree(data, dimension, createMockClusterer(), { seed: 3, settings: { tree: 'recursive', fitSample: 500, routing: { method: 'neighbors', neighbors: 7 } } });
    expect(leafAgreement(full.assignment.clusters, neighbors.assignment.clusters)).toBeGreaterThanOrEqual(0.9);
    expect(neighbors.tree.size).toBe(count);
    // Same seed, same result; the sample does not change when nothing exceeds it.
    const again = await buildClusterTree(data, dimension, createMockClusterer(), { seed: 3, settings: { tree: 'recursive', fitSample: 500 } });
    expect(again.assignment).toEqual(sampled.assignment);
    const unsampled = await buildClusterTree(data, dimension, createMockClusterer(), { seed: 3, settings: { tree: 'recursive', fitSample: count } });
    expect(unsampled.assignment).toEqual(full.assignment);
  });

  it("samples by default only above AUTO_FIT_SAMPLE chunks ('auto'), never with 'all', and says so", async () => {
    expect(resolveFitSample(undefined, AUTO_FIT_SAMPLE)).toBeUndefined();
    expect(resolveFitSample('auto', AUTO_FIT_SAMPLE + 1)).toBe(AUTO_FIT_SAMPLE);
    expect(resolveFitSample(undefined, 5_000_000)).toBe(AUTO_FIT_SAMPLE);
    expect(resolveFitSample('all', 5_000_000)).toBeUndefined();
    expect(resolveFitSample(500, 2400)).toBe(500);
    expect(resolveFitSample(500, 500)).toBeUndefined();
    expect(() => resolveFitSample(1, 2400)).toThrow(/fitSample must be an integer ≥ 2, 'all' or 'auto', got 1/);
    expect(() => resolveFitSample(2.5, 2400)).toThrow(InvalidInputError);
    const { data, dimension } = blobs();
    const messages: string[] = [];
    await buildClusterTree(data, dimension, createMockClusterer(), { seed: 3, settings: { tree: 'recursive', fitSample: 500 }, onProgress: (event) => messages.push(event.message ?? '') });
    expect(messages).toContain('fitting the tree on a seeded sample of 500 of 2400 chunks');
  });

  it('makes a routed chunk noise where it is less similar than the best child\'s own members', async () => {
    const { data, dimension, count } = blobs();
    // An extra chunk halfway between the first two blob directions belongs to neither.
    const between = new Float32Array(dimension);
    between[0] = between[1] = Math.SQRT1_2;
    const withOutlier = new Float32Array(data.length + dimension);
    withOutlier.set(data);
    withOutlier.set(between, data.length);
    const result = await buildClusterTree(withOutlier, dimension, createMockClusterer(), { seed: 3, settings: { tree: 'recursive', fitSample: 500 } });
    expect(result.assignment.clusters).toHaveLength(count + 1);
    expect(result.assignment.noise).toContain(count);
    expect(result.assignment.clusters[count]).toBe('0');
    // In-blob chunks become noise only in their child's lowest ROUTING_NOISE_QUANTILE tail (one level here).
    expect(result.assignment.noise.length / count).toBeLessThan(ROUTING_NOISE_QUANTILE * 2);
    // A higher routing quantile makes roughly that share of the routed chunks noise.
    const strict = await buildClusterTree(withOutlier, dimension, createMockClusterer(), { seed: 3, settings: { tree: 'recursive', fitSample: 500, routing: { noiseQuantile: 0.5 } } });
    const routedNoise = strict.assignment.noise.length - result.assignment.noise.length;
    expect(routedNoise / (count - 500)).toBeGreaterThan(0.35);
    expect(routedNoise / (count - 500)).toBeLessThan(0.6);
  });
});

/** Share of chunks whose leaf matches under the best many-to-one mapping, the smaller of both directions. */
function leafAgreement(a: readonly string[], b: readonly string[]): number {
  const oneWay = (from: readonly string[], to: readonly string[]) => {
    const overlap = new Map<string, Map<string, number>>();
    from.forEach((leaf, i) => {
      const counts = overlap.get(leaf) ?? new Map<string, number>();
      counts.set(to[i]!, (counts.get(to[i]!) ?? 0) + 1);
      overlap.set(leaf, counts);
    });
    let agreed = 0;
    for (const counts of overlap.values()) agreed += Math.max(...counts.values());
    return agreed / from.length;
  };
  return Math.min(oneWay(a, b), oneWay(b, a));
}

function countNoise(node: ClusterNode): number {
  return node.noise_count + node.children.reduce((sum, child) => sum + countNoise(child), 0);
}

function depthOf(node: ClusterNode): number {
  return node.children.length === 0 ? node.depth : Math.max(...node.children.map(depthOf));
}
