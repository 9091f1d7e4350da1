import { describe, expect, it } from 'vitest';
import { buildClusterTree, minClusterSizeFor, walkBreadthFirst } from './cluster-tree.js';
import { silhouetteScores } from './silhouette.js';
import { createMockClusterer, makeBlobs } from './test/index.js';
import type { ClusterNode } from './types.js';

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
    const result = await buildClusterTree(flatten(vectors), dimension, clusterer, { seed: 1 });
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
    const strict = await buildClusterTree(data, dimension, createMockClusterer(), { seed: 1, settings: { silhouetteThreshold: -1 } });
    // Nothing is below −1, so no child is split: one level only.
    for (const child of strict.tree.children) {
      expect(child.children).toHaveLength(0);
      expect(child.leaf_reason).toBe('coherent');
    }
    const shallow = await buildClusterTree(data, dimension, createMockClusterer(), { seed: 1, settings: { maxDepth: 1, silhouetteThreshold: 2 } });
    for (const child of shallow.tree.children) expect(child.leaf_reason).toBe('max-depth');
    const deep = await buildClusterTree(data, dimension, createMockClusterer(), { seed: 1, settings: { silhouetteThreshold: 2 } });
    expect(depthOf(deep.tree)).toBeGreaterThanOrEqual(2);
  });

  it('gives an identical tree for the same seed', async () => {
    const vectors = nestedBlobs();
    const data = flatten(vectors);
    const first = await buildClusterTree(data, vectors[0]!.length, createMockClusterer(), { seed: 5 });
    const second = await buildClusterTree(data, vectors[0]!.length, createMockClusterer(), { seed: 5 });
    expect(JSON.stringify(second.tree)).toBe(JSON.stringify(first.tree));
  });
});

function countNoise(node: ClusterNode): number {
  return node.noise_count + node.children.reduce((sum, child) => sum + countNoise(child), 0);
}

function depthOf(node: ClusterNode): number {
  return node.children.length === 0 ? node.depth : Math.max(...node.children.map(depthOf));
}
