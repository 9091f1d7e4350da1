import { describe, expect, it } from 'vitest';
import { randomizedSvd } from './randomized-svd.js';
import { createGaussian, createRandom } from '@corpus-proximity/core/internal';
import { symmetricEigen } from './symmetric-eigen.js';
import type { SparseRows } from './tfidf-vocabulary.js';

/** A random sparse matrix with about `density` of its entries set, from a seed. */
function randomSparse(rows: number, columns: number, density: number, seed: number): SparseRows {
  const gaussian = createGaussian(createRandom(seed), { pairs: true });
  const indptr = new Int32Array(rows + 1);
  const indices: number[] = [];
  const data: number[] = [];
  for (let r = 0; r < rows; r++) {
    for (let c = 0; c < columns; c++) {
      if (Math.abs(gaussian()) < density * 1.25) {
        indices.push(c);
        data.push(gaussian());
      }
    }
    indptr[r + 1] = indices.length;
  }
  return { rows, columns, indptr, indices: Int32Array.from(indices), data: Float64Array.from(data) };
}

/** Exact singular values of a sparse matrix through the dense eigenvalues of XᵀX. */
function exactSingularValues(matrix: SparseRows): number[] {
  const m = matrix.columns;
  const gram = new Float64Array(m * m);
  for (let r = 0; r < matrix.rows; r++) {
    for (let p = matrix.indptr[r]!; p < matrix.indptr[r + 1]!; p++) {
      for (let q = matrix.indptr[r]!; q < matrix.indptr[r + 1]!; q++) {
        gram[matrix.indices[p]! * m + matrix.indices[q]!]! += matrix.data[p]! * matrix.data[q]!;
      }
    }
  }
  return Array.from(symmetricEigen(gram, m).values, (value) => Math.sqrt(Math.max(0, value)));
}

describe('randomizedSvd', () => {
  it('recovers the leading singular values and orthonormal components of a sparse matrix', () => {
    const matrix = randomSparse(300, 60, 0.2, 3);
    const exact = exactSingularValues(matrix);
    const svd = randomizedSvd(matrix, { components: 10, seed: 1, powerIterations: 6 });
    expect(svd.rank).toBe(10);
    // A flat random spectrum is the hard case: the leading values converge first.
    for (let c = 0; c < 10; c++) expect(Math.abs(svd.singularValues[c]! - exact[c]!) / exact[c]!).toBeLessThan(c < 3 ? 1e-3 : 1e-2);
    for (let a = 0; a < 10; a++) {
      for (let b = a; b < 10; b++) {
        let dot = 0;
        for (let row = 0; row < 60; row++) dot += svd.components[row * 10 + a]! * svd.components[row * 10 + b]!;
        expect(Math.abs(dot - (a === b ? 1 : 0))).toBeLessThan(1e-8);
      }
    }
  });

  it('reports the numerical rank of a rank-deficient matrix', () => {
    // Five rows, each a combination of three fixed rows: rank 3.
    const base = [
      [1, 0, 2, 0, 0, 1, 0, 0],
      [0, 1, 0, 0, 3, 0, 0, 1],
      [0, 0, 0, 1, 0, 0, 2, 1],
    ];
    const weights = [[1, 0, 0], [0, 1, 0], [0, 0, 1], [1, 1, 0], [2, 0, 1]];
    const dense = weights.map((w) => base[0]!.map((_, c) => w[0]! * base[0]![c]! + w[1]! * base[1]![c]! + w[2]! * base[2]![c]!));
    const indptr = [0];
    const indices: number[] = [];
    const data: number[] = [];
    for (const row of dense) {
      row.forEach((value, c) => value !== 0 && (indices.push(c), data.push(value)));
      indptr.push(indices.length);
    }
    const matrix = { rows: 5, columns: 8, indptr: Int32Array.from(indptr), indices: Int32Array.from(indices), data: Float64Array.from(data) };
    expect(randomizedSvd(matrix, { components: 6, seed: 9 }).rank).toBe(3);
    expect(randomizedSvd(matrix, { components: 2, seed: 9 }).rank).toBe(2);
  });

  it('gives bit-identical results for a seed and the same subspace for another seed', () => {
    const matrix = randomSparse(200, 50, 0.15, 5);
    const first = randomizedSvd(matrix, { components: 4, seed: 11 });
    const second = randomizedSvd(matrix, { components: 4, seed: 11 });
    expect(Buffer.from(second.components.buffer).equals(Buffer.from(first.components.buffer))).toBe(true);
    const other = randomizedSvd(matrix, { components: 4, seed: 12, powerIterations: 8 });
    const exact = exactSingularValues(matrix);
    for (let c = 0; c < 4; c++) expect(Math.abs(other.singularValues[c]! - exact[c]!) / exact[c]!).toBeLessThan(1e-2);
  });

  it('reports progress and stops when asked to', () => {
    const matrix = randomSparse(50, 20, 0.3, 2);
    const steps: number[] = [];
    randomizedSvd(matrix, { components: 3, seed: 1, powerIterations: 3, onStep: (done, total) => (steps.push(done), expect(total).toBe(4)) });
    expect(steps).toEqual([1, 2, 3, 4]);
    expect(() => randomizedSvd(matrix, { components: 3, seed: 1, checkAbort: () => { throw new Error('stop'); } })).toThrow('stop');
  });
});
