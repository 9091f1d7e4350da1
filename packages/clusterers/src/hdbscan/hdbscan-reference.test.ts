import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { adjustedRandIndex } from '../adjusted-rand-index.js';
import { hdbscan } from './hdbscan.js';

// Regenerate with: node bench/cluster/make-r-reference.mjs [--wordnet] (needs R's dbscan package)
interface Reference {
  minPts: number;
  points: number[][];
  labels: number[];
  /** Points are stored multiplied by this (integers). */
  scale?: number;
}
const load = (name: string): Reference => JSON.parse(readFileSync(new URL(`./fixtures/${name}`, import.meta.url), 'utf8')) as Reference;
const pointsOf = (reference: Reference): Float32Array[] => reference.points.map((row) => Float32Array.from(row, (value) => value / (reference.scale ?? 1)));

describe('hdbscan against R dbscan::hdbscan', () => {
  const blobs = load('r-hdbscan-reference.json');
  it.each(['prim', 'boruvka'] as const)('agrees with R on noisy blobs at minPts = minClusterSize = minSamples (ARI ≥ 0.95), %s', (algorithm) => {
    const { labels } = hdbscan(pointsOf(blobs), { minClusterSize: blobs.minPts, minSamples: blobs.minPts, algorithm });
    expect(new Set(labels).size).toBe(new Set(blobs.labels).size);
    expect(adjustedRandIndex(labels, blobs.labels)).toBeGreaterThanOrEqual(0.95);
  });

  // WordNet glosses after UMAP: R keeps fragments smaller than minPts inside their cluster, which
  // changes the stabilities and so which clusters excess of mass selects.
  const wordnet = load('r-hdbscan-wordnet-reference.json');
  it.each(['prim', 'boruvka'] as const)("reproduces R's labels on real data with fragments: 'shrink' (ARI ≥ 0.99), %s", (algorithm) => {
    const { labels } = hdbscan(pointsOf(wordnet), { minClusterSize: wordnet.minPts, minSamples: wordnet.minPts, algorithm, fragments: 'shrink' });
    expect(new Set(labels).size).toBe(new Set(wordnet.labels).size);
    expect(adjustedRandIndex(labels, wordnet.labels)).toBeGreaterThanOrEqual(0.99);
  });

  it("differs from R there with the hdbscan library's default, fragments: 'fall-out' (the fixture exercises the difference)", () => {
    const { labels } = hdbscan(pointsOf(wordnet), { minClusterSize: wordnet.minPts, minSamples: wordnet.minPts });
    expect(adjustedRandIndex(labels, wordnet.labels)).toBeLessThan(0.9);
  });
});
