import { buildClusterTree, walkBreadthFirst, type ClusterNode } from '@corpus-proximity/core';
import { createGaussian, createRandom } from '@corpus-proximity/core/internal';
import { describe, expect, it } from 'vitest';
import { adjustedRandIndex } from './adjusted-rand-index.js';
import { createUmapHdbscanClusterer } from './umap-hdbscan-clusterer.js';

// 3 topics × 3 sub-topics × 60 points (24-d, unit length), then 20 uniform random outliers.
function nestedTopics() {
  const dimension = 24;
  const random = createRandom(11);
  const gaussian = createGaussian(random);
  const rows: number[][] = [];
  const topic: number[] = [];
  const subtopic: number[] = [];
  for (let t = 0; t < 3; t++) {
    for (let s = 0; s < 3; s++) {
      for (let i = 0; i < 60; i++) {
        const v = Array.from({ length: dimension }, (_, d) => (d === t ? 1 : 0) + (d === 3 + 3 * t + s ? 0.3 : 0) + 0.06 * gaussian());
        rows.push(v);
        topic.push(t);
        subtopic.push(3 * t + s);
      }
    }
  }
  for (let i = 0; i < 20; i++) rows.push(Array.from({ length: dimension }, () => gaussian()));
  const data = new Float32Array(rows.length * dimension);
  rows.forEach((v, i) => {
    const norm = Math.hypot(...v);
    v.forEach((x, d) => (data[i * dimension + d] = x / norm));
  });
  return { data, dimension, count: rows.length, topic, subtopic, outliers: rows.length - 20 };
}

const clusterer = createUmapHdbscanClusterer({ nComponents: 5, clusterSelectionMethod: 'leaf' });
const settings = { tree: 'layers' as const, maxDepth: 2, branching: 3, consensusRuns: 1, silhouetteThreshold: 0.95 };

describe('buildClusterTree, layered (real UMAP + HDBSCAN)', () => {
  it('nests every level, puts every chunk in a leaf, finds the topics, and keeps each leaf inside one topic', async () => {
    const { data, dimension, count, topic, outliers } = nestedTopics();
    const result = await buildClusterTree(data, dimension, clusterer, { seed: 42, settings });
    walkBreadthFirst(result.tree, (node: ClusterNode) => {
      const mine = new Set(result.members.get(node.cluster_id));
      expect(mine.size).toBe(node.size);
      expect(node.noise_count).toBe(0);
      if (node.children.length === 0) return;
      // children partition the parent: every child's chunks are the parent's, none shared, none left out
      let covered = 0;
      for (const child of node.children) {
        for (const row of result.members.get(child.cluster_id)!) expect(mine.has(row)).toBe(true);
        covered += child.size;
      }
      expect(covered).toBe(node.size);
    });
    const leaves = new Set<string>();
    walkBreadthFirst(result.tree, (node) => node.children.length === 0 && leaves.add(node.cluster_id));
    for (const id of result.assignment.clusters) expect(leaves.has(id)).toBe(true);
    const clean = Array.from({ length: outliers }, (_, i) => i);
    const level = (depth: number) => clean.map((i) => result.assignment.clusters[i]!.split('.').slice(0, depth + 1).join('.'));
    expect(adjustedRandIndex(level(1).map((id) => Number(id.split('.')[1])), clean.map((i) => topic[i]!))).toBeGreaterThan(0.95);
    const leaves2 = level(2);
    expect(new Set(leaves2).size).toBeGreaterThan(3);
    for (const leaf of new Set(leaves2)) {
      const topics = clean.filter((i) => leaves2[i] === leaf).map((i) => topic[i]!);
      const top = Math.max(...[0, 1, 2].map((t) => topics.filter((x) => x === t).length));
      expect(top / topics.length).toBeGreaterThan(0.95);
    }
    expect(result.assignment.clusters).toHaveLength(count);
  });

  it('flags outliers with their GLOSH score while still placing them in a leaf', async () => {
    const { data, dimension, count, outliers } = nestedTopics();
    const result = await buildClusterTree(data, dimension, clusterer, { seed: 42, settings });
    const scores = result.assignment.outlier_scores!;
    expect(scores).toHaveLength(count);
    const flagged = new Set(result.assignment.noise);
    const planted = Array.from({ length: count - outliers }, (_, i) => outliers + i);
    const clean = Array.from({ length: outliers }, (_, i) => i);
    // UMAP pulls uniform outliers toward the clusters, so not all are flagged (and the fine base clustering flags some topic points too)
    const share = (rows: number[]) => rows.filter((row) => flagged.has(row)).length / rows.length;
    expect(share(planted)).toBeGreaterThan(share(clean));
    const mean = (rows: number[]) => rows.reduce((sum, row) => sum + scores[row]!, 0) / rows.length;
    expect(mean(planted)).toBeGreaterThan(mean(clean));
    for (const score of scores) expect(score! >= 0 && score! <= 1).toBe(true);
    expect(result.tree.outlier_count).toBe(flagged.size);
    const childOutliers = result.tree.children.reduce((sum, child) => sum + child.outlier_count!, 0);
    expect(childOutliers).toBe(flagged.size);
  });

  it('gives a byte-identical tree for the same seed and the same top level for another seed on clear data', async () => {
    const { data, dimension, outliers } = nestedTopics();
    const first = await buildClusterTree(data, dimension, clusterer, { seed: 7, settings });
    const again = await buildClusterTree(data, dimension, clusterer, { seed: 7, settings });
    expect(JSON.stringify(again)).toBe(JSON.stringify(first));
    expect(Buffer.from(again.centroids.buffer).equals(Buffer.from(first.centroids.buffer))).toBe(true);
    const other = await buildClusterTree(data, dimension, clusterer, { seed: 8, settings });
    const ids = (labels: string[]) => labels.slice(0, outliers).map((id) => Number(id.split('.')[1]));
    expect(adjustedRandIndex(ids(first.assignment.clusters), ids(other.assignment.clusters))).toBeGreaterThan(0.9);
  });

  it('refuses bad layered settings, naming them', async () => {
    const { data, dimension } = nestedTopics();
    await expect(buildClusterTree(data, dimension, clusterer, { settings: { tree: 'flat' as 'layers' } })).rejects.toThrow(/tree must be 'layers' or 'recursive', got "flat"/);
    await expect(buildClusterTree(data, dimension, clusterer, { settings: { branching: 1 } })).rejects.toThrow(/branching must be an integer ≥ 2 or 'auto', got 1/);
    await expect(buildClusterTree(data, dimension, clusterer, { settings: { consensusRuns: 0 } })).rejects.toThrow(/consensusRuns must be an integer ≥ 1, got 0/);
    await expect(buildClusterTree(data, dimension, clusterer, { settings: { baseMinClusterSize: 1 } })).rejects.toThrow(/baseMinClusterSize must be an integer ≥ 2/);
  });
});
