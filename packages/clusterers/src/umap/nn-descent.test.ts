import { describe, expect, it } from 'vitest';
import { bruteForceKnn, type KnnGraph } from '../knn/brute-force-knn.js';
import { nnDescent } from './nn-descent.js';
import { createRandomSource } from '@corpus-proximity/core/internal';

/** Fraction of the exact neighbours (self excluded) that the approximate graph found. */
function recall(exact: KnnGraph, approximate: KnnGraph): number {
  let hits = 0;
  let total = 0;
  const n = exact.indices.length / exact.k;
  for (let i = 0; i < n; i++) {
    const found = new Set(approximate.indices.subarray(i * approximate.k + 1, (i + 1) * approximate.k));
    for (let t = 1; t < exact.k; t++) {
      total++;
      if (found.has(exact.indices[i * exact.k + t] as number)) hits++;
    }
  }
  return hits / total;
}

describe('nnDescent', () => {
  const random = createRandomSource(3);
  const rows = 1500;
  const cols = 24;
  // clustered data: 30 centres with Gaussian scatter
  const centres = Array.from({ length: 30 }, () => Array.from({ length: cols }, () => random.normal() * 4));
  const data = new Float32Array(rows * cols);
  for (let i = 0; i < rows; i++) for (let t = 0; t < cols; t++) data[i * cols + t] = (centres[i % 30] as number[])[t] as number + random.normal();
  const matrix = { data, rows, cols };

  it.each(['euclidean', 'cosine'] as const)('finds ≥ 90%% of the exact %s neighbours, self first, sorted', (metric) => {
    const approximate = nnDescent(matrix, 15, { metric, seed: 1 });
    expect(recall(bruteForceKnn(matrix, 15, metric), approximate)).toBeGreaterThan(0.9);
    for (let i = 0; i < rows; i++) {
      expect(approximate.indices[i * 15]).toBe(i);
      for (let t = 2; t < 15; t++) expect(approximate.distances[i * 15 + t]).toBeGreaterThanOrEqual(approximate.distances[i * 15 + t - 1] as number);
    }
  });

  it('reports each round of local joins, with fewer updates as it converges', () => {
    const rounds: Array<[number, number, number]> = [];
    const reported = nnDescent(matrix, 10, { seed: 5, onRound: (round, most, updates) => rounds.push([round, most, updates]) });
    expect(reported.indices).toEqual(nnDescent(matrix, 10, { seed: 5 }).indices);
    expect(rounds.length).toBeGreaterThan(1);
    expect(rounds.map(([round]) => round)).toEqual(rounds.map((_, i) => i + 1));
    expect(rounds.every(([, most]) => most === 12)).toBe(true);
    expect(rounds.at(-1)![2]).toBeLessThan(rounds[0]![2]);
  });

  it('is deterministic for a seed', () => {
    expect(nnDescent(matrix, 10, { seed: 5 }).indices).toEqual(nnDescent(matrix, 10, { seed: 5 }).indices);
  });
});
