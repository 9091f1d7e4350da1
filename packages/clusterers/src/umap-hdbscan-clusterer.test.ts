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

  it('computes the PCA init once for repeated calls on the same vectors (consensus runs) and checks initIterations', async () => {
    const clusterer = createUmapHdbscanClusterer({ nComponents: 4, nEpochs: 20, initIterations: 30 });
    const initMessages = async (input: Float32Array[], seed: number) => {
      const events: string[] = [];
      await clusterer.doCluster({ vectors: input, depth: 0, seed, minClusterSize: 15, minSamples: 10, onProgress: (event) => events.push(event.message ?? '') });
      return events.filter((message) => message.startsWith('umap: PCA init'));
    };
    expect(await initMessages(vectors, 1)).toEqual(['umap: PCA init (30 iterations)']);
    expect(await initMessages(vectors, 2)).toEqual([]);
    expect(await initMessages([...vectors], 1)).toHaveLength(1);
    for (const bad of [0, 2.5, Number.NaN]) expect(() => createUmapHdbscanClusterer({ initIterations: bad })).toThrow(/initIterations must be an integer ≥ 1/);
  });

  it('with knnOversampling searches one wider NN-descent graph, shares it across calls on the same vectors and still finds the blobs', async () => {
    const clusterer = createUmapHdbscanClusterer({ nComponents: 4, nEpochs: 50, knnMethod: 'nn-descent', knnOversampling: 2 });
    const run = async (input: Float32Array[], seed: number) => {
      const events: string[] = [];
      const { labels } = await clusterer.doCluster({ vectors: input, depth: 0, seed, minClusterSize: 15, minSamples: 10, onProgress: (event) => events.push(event.message ?? '') });
      const kept = Array.from(labels.keys()).filter((i) => (labels[i] as number) >= 0);
      const ari = adjustedRandIndex(kept.map((i) => labels[i] as number), kept.map((i) => truth[i] as number));
      return {
        searches: events.filter((message) => message.startsWith('umap: nearest neighbours (30 candidates, nearest 15 kept)')).length,
        rounds: events.includes('umap: nearest neighbours: round 1 of at most 12'),
        ari,
        kept: kept.length,
      };
    };
    const first = await run(vectors, 1);
    expect(first).toMatchObject({ searches: 1, ari: 1, rounds: true });
    expect(first.kept).toBeGreaterThan(180);
    expect((await run(vectors, 2)).searches).toBe(0);
    expect((await run([...vectors], 1)).searches).toBe(1);
    // a fresh clusterer with the same seed gives the same labels (the shared graph is seeded, not cached across clusterers)
    const again = async () => (await createUmapHdbscanClusterer({ nComponents: 4, nEpochs: 50, knnMethod: 'nn-descent', knnOversampling: 2 }).doCluster({ vectors, depth: 0, seed: 1, minClusterSize: 15, minSamples: 10 })).labels;
    expect(Array.from(await again())).toEqual(Array.from(await again()));
    const plain: string[] = [];
    await createUmapHdbscanClusterer({ nComponents: 4, nEpochs: 20, knnMethod: 'nn-descent' }).doCluster({ vectors, depth: 0, seed: 1, minClusterSize: 15, minSamples: 10, onProgress: (event) => plain.push(event.message ?? '') });
    expect(plain.some((message) => message.includes('candidates'))).toBe(false);
    for (const bad of [0.5, 17, Number.NaN]) expect(() => createUmapHdbscanClusterer({ knnOversampling: bad })).toThrow(/knnOversampling must be a number in \[1, 16\]/);
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
