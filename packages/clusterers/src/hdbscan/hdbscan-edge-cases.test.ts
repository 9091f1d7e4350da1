import { InvalidInputError } from '@corpus-proximity/core';
import { describe, expect, it } from 'vitest';
import { hdbscan } from './hdbscan.js';
import { createRandomSource } from '@corpus-proximity/core/internal';
import { gaussianBlobs } from '../test-data.js';

const line = (values: number[]): Float32Array[] => values.map((value) => Float32Array.of(value));

describe('hdbscan on hand-checked inputs', () => {
  // minSamples 2: every core distance is 1 except point 4.0 (2). MR(2, 4) = 2, MR(4, 10) = 6, MR(12, 30) = 18.
  // Condensed: root → A = {0,1,2,4} and B = {10,11,12} born at λ = 1/6; 30 leaves the root at λ = 1/18;
  // 4 leaves A at λ = 1/2, the rest at λ = 1.
  const points = line([0, 1, 2, 4, 10, 11, 12, 30]);

  it('reproduces labels, probabilities and GLOSH scores computed by hand', () => {
    const result = hdbscan(points, { minClusterSize: 3, minSamples: 2 });
    expect(Array.from(result.labels)).toEqual([0, 0, 0, 0, 1, 1, 1, -1]);
    expect(Array.from(result.probabilities)).toEqual([1, 1, 1, 0.5, 1, 1, 1, 0]);
    const expected = [0, 0, 0, 0.5, 0, 0, 0, 1 - 1 / 18];
    result.outlierScores.forEach((score, i) => expect(score).toBeCloseTo(expected[i] as number, 12));
  });

  // G1 = {0,1,2} and G2 = {3.5,4.5,5.5} join at MR 1.5 into P, far from G3: stability(P) ≈ 3.94 > 1 + 1
  const nested = line([0, 1, 2, 3.5, 4.5, 5.5, 100, 101, 102]);

  it('keeps the parent under excess of mass and the leaves under leaf selection', () => {
    expect(Array.from(hdbscan(nested, { minClusterSize: 3, minSamples: 2 }).labels)).toEqual([0, 0, 0, 0, 0, 0, 1, 1, 1]);
    const leaf = hdbscan(nested, { minClusterSize: 3, minSamples: 2, clusterSelectionMethod: 'leaf' });
    expect(Array.from(leaf.labels)).toEqual([0, 0, 0, 1, 1, 1, 2, 2, 2]);
  });

  it('merges leaves born below clusterSelectionEpsilon into their ancestor', () => {
    const options = { minClusterSize: 3, minSamples: 2, clusterSelectionMethod: 'leaf' as const };
    expect(Array.from(hdbscan(nested, { ...options, clusterSelectionEpsilon: 1.6 }).labels)).toEqual([0, 0, 0, 0, 0, 0, 1, 1, 1]);
    expect(Array.from(hdbscan(nested, { ...options, clusterSelectionEpsilon: 1.4 }).labels)).toEqual([0, 0, 0, 1, 1, 1, 2, 2, 2]);
  });

  it('accepts a packed { data, rows, cols } matrix', () => {
    const data = Float32Array.from(points.map((row) => row[0] as number));
    const packed = hdbscan({ data, rows: 8, cols: 1 }, { minClusterSize: 3, minSamples: 2 });
    expect(Array.from(packed.labels)).toEqual([0, 0, 0, 0, 1, 1, 1, -1]);
  });
});

describe('hdbscan edge cases', () => {
  it('returns all noise when there are fewer points than minClusterSize, and for empty input', () => {
    expect(Array.from(hdbscan(line([1, 2, 3]), { minClusterSize: 5 }).labels)).toEqual([-1, -1, -1]);
    expect(hdbscan([], { minClusterSize: 5 }).labels.length).toBe(0);
    expect(Array.from(hdbscan(line([1]), { minClusterSize: 2 }).labels)).toEqual([-1]);
  });

  it('treats identical points as one group: noise by default, one cluster with allowSingleCluster', () => {
    const same = Array.from({ length: 20 }, () => Float32Array.of(1, 2, 3));
    expect(new Set(hdbscan(same, { minClusterSize: 5 }).labels)).toEqual(new Set([-1]));
    const single = hdbscan(same, { minClusterSize: 5, allowSingleCluster: true });
    expect(new Set(single.labels)).toEqual(new Set([0]));
    expect(new Set(single.probabilities)).toEqual(new Set([1]));
  });

  it('gives duplicated points the same label and recovers the blobs', () => {
    const { points, labels: truth } = gaussianBlobs({ centers: [[0, 0], [15, 15]], size: 40, spread: 1, seed: 5 });
    const doubled = points.flatMap((point) => [point, Float32Array.from(point)]);
    const result = hdbscan(doubled, { minClusterSize: 10, minSamples: 5 });
    for (let i = 0; i < points.length; i++) expect(result.labels[2 * i]).toBe(result.labels[2 * i + 1]);
    const labelOfBlob = (blob: number) => new Set(Array.from(truth.keys()).filter((i) => truth[i] === blob).map((i) => result.labels[2 * i]).filter((l) => (l as number) >= 0));
    expect(labelOfBlob(0).size).toBe(1);
    expect(labelOfBlob(1).size).toBe(1);
    expect([...labelOfBlob(0)][0]).not.toBe([...labelOfBlob(1)][0]);
  });

  it('stays finite when many points coincide (infinite density)', () => {
    const random = createRandomSource(9);
    const heavy: Float32Array[] = [];
    for (let location = 0; location < 12; location++) {
      const x = (location < 6 ? 0 : 50) + random.normal();
      const y = random.normal();
      for (let copy = 0; copy < 8; copy++) heavy.push(Float32Array.of(x, y));
    }
    const result = hdbscan(heavy, { minClusterSize: 5, minSamples: 3 });
    for (const values of [result.probabilities, result.outlierScores]) for (const value of values) expect(Number.isFinite(value)).toBe(true);
    for (let i = 0; i < heavy.length; i += 8) expect(new Set(result.labels.slice(i, i + 8)).size).toBe(1);
    expect(hdbscan(heavy, { minClusterSize: 5, minSamples: 3 }).labels).toEqual(result.labels);
    // the KD-tree Borůvka path copes with the many exact ties too
    const boruvka = hdbscan(heavy, { minClusterSize: 5, minSamples: 3, algorithm: 'boruvka' });
    for (let i = 0; i < heavy.length; i += 8) expect(new Set(boruvka.labels.slice(i, i + 8)).size).toBe(1);
    expect(new Set(boruvka.labels).size).toBe(new Set(result.labels).size);
  });

  it('handles all-identical points on every MST path', () => {
    const same = Array.from({ length: 40 }, () => Float32Array.of(1, 2));
    for (const algorithm of ['prim', 'boruvka', 'knn-graph'] as const) {
      expect(new Set(hdbscan(same, { minClusterSize: 5, algorithm }).labels)).toEqual(new Set([-1]));
    }
  });

  it('names the row that holds NaN or Infinity', () => {
    const points = line([0, 1, 2, 3]);
    points[2] = Float32Array.of(Number.NaN);
    expect(() => hdbscan(points, { minClusterSize: 2 })).toThrow(InvalidInputError);
    expect(() => hdbscan(points, { minClusterSize: 2 })).toThrow(/row 2/);
    points[2] = Float32Array.of(Number.POSITIVE_INFINITY);
    expect(() => hdbscan(points, { minClusterSize: 2 })).toThrow(/row 2/);
  });

  it('rejects ragged rows and bad options', () => {
    expect(() => hdbscan([Float32Array.of(1, 2), Float32Array.of(1)], { minClusterSize: 2 })).toThrow(/row 1/);
    expect(() => hdbscan(line([1, 2, 3]), { minClusterSize: 1 })).toThrow(InvalidInputError);
    expect(() => hdbscan(line([1, 2, 3]), { minClusterSize: 2, minSamples: 0 })).toThrow(InvalidInputError);
    expect(() => hdbscan(line([1, 2, 3]), { minClusterSize: 2, fragments: 'drop' as never })).toThrow(/fragments must be 'fall-out' or 'shrink'/);
  });
});
