import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { adjustedRandIndex } from './adjusted-rand-index.js';
import { hdbscan } from './hdbscan.js';

// Regenerate with: node bench/cluster/make-r-reference.mjs (needs R's dbscan package)
const reference = JSON.parse(readFileSync(new URL('./fixtures/r-hdbscan-reference.json', import.meta.url), 'utf8')) as {
  minPts: number;
  points: number[][];
  labels: number[];
};

describe('hdbscan against R dbscan::hdbscan', () => {
  it.each(["prim", "boruvka"] as const)("agrees with R at minPts = minClusterSize = minSamples (ARI ≥ 0.95), %s", (algorithm) => {
    const points = reference.points.map((row) => Float32Array.from(row));
    const { labels } = hdbscan(points, { minClusterSize: reference.minPts, minSamples: reference.minPts, algorithm });
    const ari = adjustedRandIndex(labels, reference.labels);
    expect(new Set(labels).size).toBe(new Set(reference.labels).size);
    expect(ari).toBeGreaterThanOrEqual(0.95);
  });
});
