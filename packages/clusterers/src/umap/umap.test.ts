import { describe, expect, it } from 'vitest';
import { adjustedRandIndex } from '../adjusted-rand-index.js';
import { bruteForceKnn } from '../knn/brute-force-knn.js';
import { findAbParams } from './find-ab-params.js';
import { hdbscan } from '../hdbscan/hdbscan.js';
import { umap } from './umap.js';
import { gaussianBlobs } from '../test-data.js';

const centers = (count: number, dims: number, scale: number): number[][] =>
  Array.from({ length: count }, (_, c) => Array.from({ length: dims }, (_, t) => (t % count === c ? scale : 0)));

describe('findAbParams', () => {
  it('matches the a, b umap-learn fits', () => {
    const fitted = findAbParams(1, 0.1);
    expect(fitted.a).toBeCloseTo(1.577, 2);
    expect(fitted.b).toBeCloseTo(0.8951, 3);
    const tight = findAbParams(1, 0.001);
    expect(tight.a).toBeCloseTo(1.929, 2);
    expect(tight.b).toBeCloseTo(0.7915, 3);
  });
});

describe('umap', () => {
  const { points, labels } = gaussianBlobs({ centers: centers(4, 20, 10), size: 50, spread: 1, seed: 7 });

  it('keeps separated blobs separated in 2-d', () => {
    const embedding = umap(points, { nEpochs: 200, seed: 1 });
    expect(embedding).toHaveLength(200);
    expect(embedding[0]).toHaveLength(2);
    for (const row of embedding) for (const value of row) expect(Number.isFinite(value)).toBe(true);
    const found = hdbscan(embedding, { minClusterSize: 20 });
    expect(adjustedRandIndex(found.labels, labels)).toBeGreaterThan(0.95);
  });

  it('starts from given initial coordinates, and checks them and initIterations', () => {
    const start = Float64Array.from({ length: points.length * 3 }, (_, i) => (i * 7919) % 101);
    const options = { nEpochs: 30, nComponents: 3, seed: 5, initialCoordinates: start };
    const fromRandom = umap(points, { ...options, init: 'random' });
    expect(umap(points, { ...options, init: 'pca' })).toEqual(fromRandom);
    expect(umap(points, { nEpochs: 30, nComponents: 3, seed: 5, init: 'random' })).not.toEqual(fromRandom);
    expect(() => umap(points, { nComponents: 3, initialCoordinates: start.subarray(3) })).toThrow(/initialCoordinates has 597 values, expected 200 × 3/);
    expect(() => umap(points, { initIterations: 0 })).toThrow(/initIterations must be an integer ≥ 1/);
  });

  it('gives identical output for the same seed and different output for another seed', () => {
    const options = { nEpochs: 50, nComponents: 3, metric: 'cosine' as const };
    const first = umap(points, { ...options, seed: 3 });
    const again = umap(points, { ...options, seed: 3 });
    const other = umap(points, { ...options, seed: 4 });
    expect(again).toEqual(first);
    expect(other).not.toEqual(first);
  });

  it('reports progress up to the last epoch', () => {
    const events: number[] = [];
    umap(points.slice(0, 40), { nEpochs: 40, onProgress: (event) => events.push(event.done) });
    expect(events.at(-1)).toBe(40);
    expect(events.length).toBeGreaterThan(2);
  });

  it('handles tiny inputs without throwing', () => {
    expect(umap([], { nComponents: 2 })).toEqual([]);
    const three = umap(points.slice(0, 3), { nComponents: 5 });
    expect(three).toHaveLength(3);
    expect(three[0]).toHaveLength(5);
    const six = umap(points.slice(0, 6), { nComponents: 2, nNeighbors: 15, nEpochs: 20 });
    expect(six).toHaveLength(6);
    for (const row of six) for (const value of row) expect(Number.isFinite(value)).toBe(true);
    const same = umap(Array.from({ length: 10 }, () => Float32Array.of(1, 1, 1)), { nEpochs: 20 });
    for (const row of same) for (const value of row) expect(Number.isFinite(value)).toBe(true);
  });
});

describe('umap with NN-descent neighbours', () => {
  it('accepts a precomputed kNN graph and gives the same layout as computing it', () => {
    const { points } = gaussianBlobs({ centers: centers(2, 8, 6), size: 30, spread: 1, seed: 3 });
    const knn = bruteForceKnn({ data: Float32Array.from(points.flatMap((row) => Array.from(row))), rows: 60, cols: 8 }, 15);
    expect(umap(points, { nEpochs: 30, knn })).toEqual(umap(points, { nEpochs: 30 }));
  });

  it('separates blobs as well as with exact neighbours, deterministically', () => {
    const { points, labels } = gaussianBlobs({ centers: centers(3, 16, 10), size: 80, spread: 1, seed: 8 });
    const options = { nEpochs: 100, seed: 2, knnMethod: 'nn-descent' as const };
    const embedding = umap(points, options);
    expect(umap(points, options)).toEqual(embedding);
    expect(adjustedRandIndex(hdbscan(embedding, { minClusterSize: 20 }).labels, labels)).toBeGreaterThan(0.95);
  });
});

describe('umap layout engines', () => {
  it('the SIMD kernels and the plain JS loop both separate blobs, each deterministically', async () => {
    const { optimizeLayout } = await import('./optimize-layout.js');
    const { fuzzySimplicialSet } = await import('./fuzzy-simplicial-set.js');
    const { createRandomSource } = await import('@corpus-proximity/core/internal');
    const { points, labels } = gaussianBlobs({ centers: centers(3, 12, 10), size: 40, spread: 1, seed: 4 });
    const matrix = { data: Float32Array.from(points.flatMap((row) => Array.from(row))), rows: 120, cols: 12 };
    const graph = fuzzySimplicialSet(bruteForceKnn(matrix, 15), 120);
    const { a, b } = findAbParams(1, 0.1);
    const layout = (simd: boolean): Float32Array => {
      const random = createRandomSource(9);
      const embedding = Float32Array.from({ length: 240 }, () => random.next() * 10);
      optimizeLayout(embedding, 2, graph, random, { a, b, epochs: 100, simd });
      return embedding;
    };
    for (const simd of [true, false]) {
      const embedding = layout(simd);
      expect(layout(simd)).toEqual(embedding);
      const rows = Array.from({ length: 120 }, (_, i) => embedding.subarray(2 * i, 2 * i + 2));
      expect(adjustedRandIndex(hdbscan(rows, { minClusterSize: 15 }).labels, labels)).toBeGreaterThan(0.95);
    }
  });
});
