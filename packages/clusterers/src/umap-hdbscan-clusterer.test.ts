import { AbortedError, InvalidInputError } from '@corpus-proximity/core';
import { makeBlobs, testClusterer } from '@corpus-proximity/core/test';
import { describe, expect, it } from 'vitest';
import { adjustedRandIndex } from './adjusted-rand-index.js';
import { createUmapHdbscanClusterer } from './umap-hdbscan-clusterer.js';

testClusterer('umap-hdbscan', () => createUmapHdbscanClusterer());

describe('createUmapHdbscanClusterer', () => {
  const { vectors, truth } = makeBlobs({ blobs: 4, perBlob: 50, dimension: 32, spread: 0.1, seed: 4 });

  it('recovers blobs with the default settings and returns the reduced vectors', async () => {
    const events: string[] = [];
    const clusterer = createUmapHdbscanClusterer({ nEpochs: 100 });
    const { labels, reduced } = await clusterer.doCluster({
      vectors, depth: 0, seed: 1, minClusterSize: 15, minSamples: 10, onProgress: (event) => events.push(event.message ?? ''),
    });
    expect(reduced).toHaveLength(vectors.length);
    expect(reduced?.[0]).toHaveLength(32);
    const kept = Array.from(labels.keys()).filter((i) => (labels[i] as number) >= 0);
    expect(kept.length).toBeGreaterThan(180);
    expect(adjustedRandIndex(kept.map((i) => labels[i] as number), kept.map((i) => truth[i] as number))).toBe(1);
    expect(events).toContain('hdbscan: done');
    expect(events.some((message) => message.startsWith('hdbscan: minimum spanning tree'))).toBe(true);
  });

  it('caps nComponents at the input dimension and skips UMAP for tiny inputs', async () => {
    const clusterer = createUmapHdbscanClusterer({ nComponents: 8, nEpochs: 50 });
    const wide = await clusterer.doCluster({ vectors, depth: 0, seed: 1, minClusterSize: 15, minSamples: 10 });
    expect(wide.reduced?.[0]).toHaveLength(8);
    const tiny = await clusterer.doCluster({ vectors: vectors.slice(0, 12), depth: 3, seed: 1, minClusterSize: 5, minSamples: 40 });
    expect(tiny.labels).toHaveLength(12);
    expect(tiny.reduced?.[0]).toHaveLength(32);
  });

  it('rejects NaN vectors and honours an aborted signal', async () => {
    const clusterer = createUmapHdbscanClusterer();
    const bad = vectors.slice(0, 30).map((vector) => Float32Array.from(vector));
    (bad[7] as Float32Array)[3] = Number.NaN;
    await expect(clusterer.doCluster({ vectors: bad, depth: 0, seed: 1, minClusterSize: 5, minSamples: 5 })).rejects.toThrow(InvalidInputError);
    await expect(clusterer.doCluster({ vectors: bad, depth: 0, seed: 1, minClusterSize: 5, minSamples: 5 })).rejects.toThrow(/row 7/);
    const controller = new AbortController();
    controller.abort();
    await expect(
      clusterer.doCluster({ vectors, depth: 0, seed: 1, minClusterSize: 5, minSamples: 5, abortSignal: controller.signal }),
    ).rejects.toThrow(AbortedError);
  });
});
