import { describe, expect, it } from 'vitest';
import { createGaussian, createRandom } from '@corpus-proximity/core/internal';
import { symmetricEigen } from './symmetric-eigen.js';

function randomSymmetric(n: number, seed: number): Float64Array {
  const gaussian = createGaussian(createRandom(seed), { pairs: true });
  const matrix = new Float64Array(n * n);
  for (let i = 0; i < n; i++) for (let j = i; j < n; j++) matrix[i * n + j] = matrix[j * n + i] = gaussian();
  return matrix;
}

function expectDecomposition(matrix: Float64Array, n: number, tolerance = 1e-9): void {
  const { values, vectors } = symmetricEigen(matrix, n);
  for (let j = 1; j < n; j++) expect(values[j]!).toBeLessThanOrEqual(values[j - 1]!);
  for (let j = 0; j < n; j++) {
    // A·v = λ·v and the eigenvectors are orthonormal.
    for (let i = 0; i < n; i++) {
      let av = 0;
      for (let k = 0; k < n; k++) av += matrix[i * n + k]! * vectors[k * n + j]!;
      expect(Math.abs(av - values[j]! * vectors[i * n + j]!)).toBeLessThan(tolerance);
    }
    for (let other = j; other < n; other++) {
      let dot = 0;
      for (let k = 0; k < n; k++) dot += vectors[k * n + j]! * vectors[k * n + other]!;
      expect(Math.abs(dot - (other === j ? 1 : 0))).toBeLessThan(tolerance);
    }
  }
}

describe('symmetricEigen', () => {
  it('decomposes random symmetric matrices of several sizes', () => {
    for (const n of [1, 2, 3, 7, 40]) expectDecomposition(randomSymmetric(n, n), n);
  });

  it('handles zero, diagonal and repeated-eigenvalue matrices', () => {
    expectDecomposition(new Float64Array(9), 3);
    const diagonal = new Float64Array([3, 0, 0, 0, -1, 0, 0, 0, 2]);
    expect(Array.from(symmetricEigen(diagonal, 3).values)).toEqual([3, 2, -1]);
    // Rank one: v·vᵀ has eigenvalues |v|², 0, 0.
    const v = [1, 2, 2];
    const outer = new Float64Array(9).map((_, i) => v[Math.floor(i / 3)]! * v[i % 3]!);
    const { values } = symmetricEigen(outer, 3);
    expect(values[0]).toBeCloseTo(9, 10);
    expect(Math.abs(values[1]!) + Math.abs(values[2]!)).toBeLessThan(1e-12);
    expectDecomposition(outer, 3);
  });

  it('finds the known eigenvalues of the 1-d Laplacian', () => {
    const n = 12;
    const matrix = new Float64Array(n * n);
    for (let i = 0; i < n; i++) {
      matrix[i * n + i] = 2;
      if (i > 0) matrix[i * n + i - 1] = matrix[(i - 1) * n + i] = -1;
    }
    const { values } = symmetricEigen(matrix, n);
    const expected = Array.from({ length: n }, (_, k) => 2 - 2 * Math.cos(((k + 1) * Math.PI) / (n + 1))).sort((a, b) => b - a);
    expected.forEach((value, k) => expect(values[k]).toBeCloseTo(value, 10));
  });

  it('does not modify its input', () => {
    const matrix = randomSymmetric(5, 1);
    const copy = Float64Array.from(matrix);
    symmetricEigen(matrix, 5);
    expect(matrix).toEqual(copy);
  });
});
