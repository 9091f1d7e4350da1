import { InvalidInputError } from '@corpus-proximity/core';
import { describe, expect, it } from 'vitest';
import { adjustedRandIndex } from './adjusted-rand-index.js';
import { hdbscan } from './hdbscan.js';
import { createRandom } from './random.js';
import { gaussianBlobs } from './test-data.js';

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
