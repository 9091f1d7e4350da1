import { describe, expect, it } from 'vitest';
import { createGaussian, createRandom } from '../random.js';
import type { ClustererV1 } from '../specs.js';

/** Seeded, well-separated, L2-normalized Gaussian blobs: `perBlob` points around each of `blobs` directions. */
export function makeBlobs(options: { blobs?: number; perBlob?: number; dimension?: number; spread?: number; seed?: number } = {}) {
  const { blobs = 3, perBlob = 60, dimension = 16, spread = 0.05, seed = 1 } = options;
  const random = createRandom(seed);
  const gaussian = createGaussian(random);
  const vectors: Float32Array[] = [];
  const truth: number[] = [];
  for (let blob = 0; blob < blobs; blob++) {
    for (let i = 0; i < perBlob; i++) {
      const vector = new Float32Array(dimension);
      for (let d = 0; d < dimension; d++) vector[d] = (d % blobs === blob ? 1 : 0) + spread * gaussian();
      const norm = Math.hypot(...vector);
      vectors.push(vector.map((value) => value / norm));
      truth.push(blob);
    }
  }
  return { vectors, truth };
}

/** Conformance suite every clusterer runs: label shape, separated blobs found, seeded determinism, tiny inputs. */
export function testClusterer(name: string, create: () => ClustererV1 | Promise<ClustererV1>): void {
  describe(`clusterer conformance: ${name}`, () => {
    it('declares the clusterer-v1 spec', async () => {
      const clusterer = await create();
      expect(clusterer.specificationVersion).toBe('clusterer-v1');
      expect(clusterer.id).toMatch(/\S/);
    });

    it('finds well-separated blobs, one label per blob', async () => {
      const clusterer = await create();
      const { vectors, truth } = makeBlobs();
      const { labels } = await clusterer.doCluster({ vectors, depth: 0, seed: 3, minClusterSize: 15, minSamples: 10 });
      expect(labels).toBeInstanceOf(Int32Array);
      expect(labels.length).toBe(vectors.length);
      for (const label of labels) expect(label).toBeGreaterThanOrEqual(-1);
      // Each blob's clustered points share one label, and blobs do not share labels.
      const blobLabel = new Map<number, number>();
      let clustered = 0;
      labels.forEach((label, i) => {
        if (label < 0) return;
        clustered++;
        const expected = blobLabel.get(truth[i]!);
        if (expected === undefined) blobLabel.set(truth[i]!, label);
        else expect(label).toBe(expected);
      });
      expect(new Set(blobLabel.values()).size).toBe(3);
      expect(clustered).toBeGreaterThanOrEqual(vectors.length * 0.8);
    });

    it('gives the same labels for the same seed', async () => {
      const { vectors } = makeBlobs({ seed: 9, spread: 0.3 });
      const first = await (await create()).doCluster({ vectors, depth: 1, seed: 5, minClusterSize: 10, minSamples: 5 });
      const second = await (await create()).doCluster({ vectors, depth: 1, seed: 5, minClusterSize: 10, minSamples: 5 });
      expect(Array.from(second.labels)).toEqual(Array.from(first.labels));
    });

    it('handles fewer points than minClusterSize without hanging', async () => {
      const { vectors } = makeBlobs({ blobs: 1, perBlob: 5 });
      const { labels } = await (await create()).doCluster({ vectors, depth: 2, seed: 1, minClusterSize: 10, minSamples: 4 });
      expect(labels.length).toBe(5);
      for (const label of labels) expect(label).toBeGreaterThanOrEqual(-1);
    });
  });
}
