import { describe, expect, it } from 'vitest';
import { adjustedRandIndex } from '../adjusted-rand-index.js';
import { boruvkaMutualReachabilityMst } from './boruvka-mst.js';
import { coreDistances } from './core-distances.js';
import { hdbscan } from './hdbscan.js';
import { buildKdTree } from '../knn/kd-tree.js';
import { toMatrix } from '../matrix.js';
import { primMutualReachabilityMst } from './prim-mst.js';
import { createRandomSource } from '@corpus-proximity/core/internal';
import { gaussianBlobs } from '../test-data.js';

const centers3 = [
  [0, 0],
  [20, 0],
  [0, 20],
];

describe('hdbscan', () => {
  it('finds well-separated Gaussian blobs exactly', () => {
    const { points, labels: truth } = gaussianBlobs({ centers: centers3, size: 60, spread: 1, seed: 1 });
    const result = hdbscan(points, { minClusterSize: 10 });
    const clustered = Array.from(result.labels).filter((label) => label >= 0).length;
    expect(new Set(result.labels).size).toBeGreaterThanOrEqual(3);
    // every blob is one label; a few fringe points may be noise but never in a wrong cluster
    for (let blob = 0; blob < 3; blob++) {
      const labels = new Set(Array.from(result.labels).filter((label, i) => truth[i] === blob && label >= 0));
      expect(labels.size).toBe(1);
    }
    expect(clustered).toBeGreaterThan(160);
    const kept = Array.from(result.labels.keys()).filter((i) => (result.labels[i] as number) >= 0);
    expect(adjustedRandIndex(kept.map((i) => result.labels[i] as number), kept.map((i) => truth[i] as number))).toBe(1);
  });

  it('numbers clusters by their first point and is deterministic', () => {
    const { points } = gaussianBlobs({ centers: centers3, size: 40, spread: 1, seed: 2 });
    const a = hdbscan(points, { minClusterSize: 8 });
    const b = hdbscan(points, { minClusterSize: 8 });
    expect(a.labels).toEqual(b.labels);
    const firstSeen = Array.from(a.labels).filter((label) => label >= 0);
    expect(firstSeen[0]).toBe(0);
    expect(Math.max(...firstSeen)).toBe(2);
  });

  it('labels far-away points as noise with high outlier scores', () => {
    const { points } = gaussianBlobs({ centers: centers3.slice(0, 2), size: 50, spread: 1, seed: 3 });
    points.push(Float32Array.of(200, 200), Float32Array.of(-300, 50), Float32Array.of(10, 400));
    const result = hdbscan(points, { minClusterSize: 10 });
    for (const i of [100, 101, 102]) {
      expect(result.labels[i]).toBe(-1);
      expect(result.probabilities[i]).toBe(0);
      expect(result.outlierScores[i]).toBeGreaterThan(0.9);
    }
    expect(new Set(result.labels.slice(0, 50)).size).toBe(1);
    expect(result.labels[0]).not.toBe(result.labels[50]);
  });
});

describe('hdbscan MST algorithms', () => {
  it('gives the same labels with KD-tree Borůvka and with Prim', () => {
    const centers = Array.from({ length: 6 }, (_, c) => [10 * Math.cos(c), 10 * Math.sin(c), c % 2 === 0 ? 5 : -5]);
    const { points } = gaussianBlobs({ centers, size: 150, spread: 1.5, seed: 12 });
    const random = createRandomSource(4);
    for (let i = 0; i < 60; i++) points.push(Float32Array.from({ length: 3 }, () => random.next() * 40 - 20));
    for (const minSamples of [3, 10]) {
      const prim = hdbscan(points, { minClusterSize: 20, minSamples, algorithm: 'prim' });
      const boruvka = hdbscan(points, { minClusterSize: 20, minSamples, algorithm: 'boruvka' });
      expect(Array.from(boruvka.labels)).toEqual(Array.from(prim.labels));
      expect(Array.from(boruvka.outlierScores)).toEqual(Array.from(prim.outlierScores));
    }
  });
});

describe('hdbscan progress', () => {
  it('reports neighbours, spanning tree (with Borůvka rounds) and clusters, in order', () => {
    const { points } = gaussianBlobs({ centers: centers3, size: 1000, spread: 1, seed: 6 });
    const events: Array<{ done: number; message?: string }> = [];
    hdbscan(points, { minClusterSize: 20, onProgress: (event) => events.push(event) });
    expect(events.map((event) => event.done)).toEqual(events.map((event) => event.done).sort((a, b) => a - b));
    expect(events[0]!.message).toMatch(/20 nearest neighbours of 3000 points \(boruvka\)/);
    expect(events.some((event) => /Borůvka round 1, 3000 components/.test(event.message ?? ''))).toBe(true);
    expect(events.at(-1)).toMatchObject({ stage: 'hdbscan', done: 3, total: 3 });
  });
});

describe('KD-tree Borůvka MST', () => {
  it('has exactly the edge weights of Prim’s MST in 10 dimensions with noise (all MSTs share them)', () => {
    const random = createRandomSource(9);
    const centers = Array.from({ length: 8 }, () => Array.from({ length: 10 }, () => random.next() * 30 - 15));
    const { points } = gaussianBlobs({ centers, size: 300, spread: 1.2, seed: 5 });
    for (let i = 0; i < 300; i++) points.push(Float32Array.from({ length: 10 }, () => random.next() * 40 - 20));
    const matrix = toMatrix(points, 'test');
    for (const minSamples of [1, 5, 25]) {
      const tree = buildKdTree(matrix);
      const { core, knn } = coreDistances(matrix, minSamples, tree);
      const boruvka = boruvkaMutualReachabilityMst(tree, core, knn);
      const prim = primMutualReachabilityMst(matrix, coreDistances(matrix, minSamples).core);
      expect(Array.from(boruvka.weight).sort((a, b) => a - b)).toEqual(Array.from(prim.weight).sort((a, b) => a - b));
    }
  });
});

describe('hdbscan approximate kNN-graph MST', () => {
  it('matches the exact labels on separated blobs in 40 dimensions', () => {
    const random = createRandomSource(21);
    const centers = Array.from({ length: 5 }, () => Array.from({ length: 40 }, () => random.normal() * 6));
    const { points } = gaussianBlobs({ centers, size: 200, spread: 1, seed: 13 });
    const exact = hdbscan(points, { minClusterSize: 25, minSamples: 10, algorithm: 'prim' });
    const approximate = hdbscan(points, { minClusterSize: 25, minSamples: 10, algorithm: 'knn-graph' });
    expect(new Set(exact.labels).size).toBeGreaterThanOrEqual(5);
    expect(adjustedRandIndex(approximate.labels, exact.labels)).toBeGreaterThan(0.95);
  });
});
