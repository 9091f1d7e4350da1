import { describe, expect, it } from 'vitest';
import { routeToClusterTree } from './route-to-cluster-tree.js';
import type { ClusterNode } from '../types.js';

const node = (cluster_id: string, depth: number, size: number, children: ClusterNode[] = []): ClusterNode => ({
  cluster_id,
  name: '',
  depth,
  size,
  silhouette: null,
  split_silhouette: null,
  noise_count: 0,
  samples: [],
  centroid_row: -1,
  children,
});

// Rows 0–4 near e0 (child 0.0), 5–9 near e1 (child 0.1), 10–14 near e2 (noise of the fit); routed: 15 ≈ e0, 16 ≈ e2, 17 ≈ e1.
function fixture() {
  const dimension = 3;
  const directions = [0, 0, 0, 0, 0, 1, 1, 1, 1, 1, 2, 2, 2, 2, 2, 0, 2, 1];
  const embeddings = new Float32Array(directions.length * dimension);
  directions.forEach((axis, row) => {
    const wobble = 0.05 * ((row % 5) - 2);
    embeddings[row * dimension + axis] = 1;
    embeddings[row * dimension + ((axis + 1) % 3)] = wobble;
    const norm = Math.hypot(1, wobble);
    for (let d = 0; d < dimension; d++) embeddings[row * dimension + d]! /= norm;
  });
  const root = node('0', 0, 15, [node('0.0', 1, 5), node('0.1', 1, 5)]);
  root.noise_count = 5;
  const members = new Map([
    ['0', Array.from({ length: 15 }, (_, i) => i)],
    ['0.0', [0, 1, 2, 3, 4]],
    ['0.1', [5, 6, 7, 8, 9]],
  ]);
  return { root, members, embeddings, dimension, into: { chunkCluster: new Array<string>(18).fill('0'), noise: [10, 11, 12, 13, 14] } };
}

describe('routeToClusterTree', () => {
  it.each([{ method: 'centroid' as const }, { method: 'neighbors' as const, neighbors: 3 }])('routes by %o and counts routed chunks in sizes, members and noise', (routing) => {
    const { root, members, embeddings, dimension, into } = fixture();
    routeToClusterTree(root, members, [17, 16, 15], embeddings, dimension, into, routing);
    expect(into.chunkCluster.slice(15)).toEqual(['0.0', '0', '0.1']);
    expect(into.noise).toContain(16);
    expect(root).toMatchObject({ size: 18, noise_count: 6 });
    expect(root.children.map((child) => child.size)).toEqual([6, 6]);
    expect(members.get('0.0')).toEqual([0, 1, 2, 3, 4, 15]);
    expect(members.get('0')).toHaveLength(18);
  });

  it('makes more routed chunks noise with a higher noise quantile', () => {
    const { root, members, embeddings, dimension, into } = fixture();
    // Row 15 is as far from its centroid as the farthest fitted members (below the 0.9 quantile); row 17 sits on it.
    routeToClusterTree(root, members, [15, 16, 17], embeddings, dimension, into, { noiseQuantile: 0.9 });
    expect(into.chunkCluster.slice(15)).toEqual(['0', '0', '0.1']);
    expect(root).toMatchObject({ size: 18, noise_count: 7 });
  });
});
