import { createRandomSource } from '@corpus-proximity/core/internal';
import { describe, expect, it } from 'vitest';
import { toMatrix } from '../matrix.js';
import { pcaProject } from './pca.js';

// 2,000 points in 40-d: five leading directions (standard deviations 3 … 1.6) over a flat tail of 1.4,
// the slowly decaying spectrum of text embeddings, where a few power iterations do not converge.
function slowSpectrum(): Float32Array[] {
  const random = createRandomSource(11);
  const scales = [3, 2.5, 2.1, 1.8, 1.6, ...Array.from({ length: 35 }, () => 1.4)];
  return Array.from({ length: 2000 }, () => Float32Array.from(scales, (scale) => scale * random.normal()));
}

// |correlation| of column c of two n × k projections (a principal direction's sign is arbitrary).
function columnAgreement(a: Float64Array, b: Float64Array, k: number, c: number): number {
  const n = a.length / k;
  let ab = 0;
  let aa = 0;
  let bb = 0;
  for (let i = 0; i < n; i++) {
    ab += a[i * k + c]! * b[i * k + c]!;
    aa += a[i * k + c]! ** 2;
    bb += b[i * k + c]! ** 2;
  }
  return Math.abs(ab) / Math.sqrt(aa * bb);
}

describe('pcaProject', () => {
  const matrix = toMatrix(slowSpectrum(), 'test');

  it('converges with enough iterations: two random starts give the same principal directions', () => {
    const first = pcaProject(matrix, 5, createRandomSource(1), 30);
    const second = pcaProject(matrix, 5, createRandomSource(2), 30);
    for (let c = 0; c < 5; c++) expect(columnAgreement(first, second, 5, c)).toBeGreaterThan(0.99);
  });

  it('still depends on its random start after 2 iterations on such a spectrum (why the layered tree uses 30)', () => {
    const first = pcaProject(matrix, 5, createRandomSource(1), 2);
    const second = pcaProject(matrix, 5, createRandomSource(2), 2);
    const worst = Math.min(...Array.from({ length: 5 }, (_, c) => columnAgreement(first, second, 5, c)));
    expect(worst).toBeLessThan(0.95);
  });
});
