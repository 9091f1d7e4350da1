import type { SparseRows } from './tfidf-vocabulary.js';
import { createGaussian, createRandom } from '@corpus-proximity/core/internal';
import { symmetricEigen } from './symmetric-eigen.js';

/** Options of {@link randomizedSvd}. */
export interface RandomizedSvdOptions {
  /** Components wanted; fewer come back when the matrix has lower numerical rank. */
  components: number;
  seed: number;
  /** Extra random directions beyond `components` (Halko et al. suggest 5–10). */
  oversamples?: number;
  /** Applications of XᵀX, each followed by re-orthonormalization. */
  powerIterations?: number;
  /** Called after each step, with the step number and the step count. */
  onStep?: (done: number, total: number) => void;
  /** Checked between steps; throwing from it stops the work. */
  checkAbort?: () => void;
}

/** Top right singular vectors of a sparse matrix: components is row-major columns × rank (one column per component). */
export interface TruncatedSvd {
  rank: number;
  singularValues: Float64Array;
  components: Float64Array;
}

// Relative floor below which a direction counts as numerically absent (rank deficiency).
const gramFloor = 1e-13;
const ritzFloor = 1e-10;

/**
 * Seeded randomized truncated SVD (Halko, Martinsson & Tropp 2011) of a CSR matrix, by subspace
 * iteration on XᵀX without ever forming it: a Gaussian start, power iterations with an eigen-based
 * (rank-revealing) orthonormalization after each, then a Rayleigh–Ritz step. Deterministic for a seed.
 */
export function randomizedSvd(matrix: SparseRows, options: RandomizedSvdOptions): TruncatedSvd {
  const m = matrix.columns;
  const width = Math.min(options.components + (options.oversamples ?? 10), m, matrix.rows);
  const iterations = options.powerIterations ?? 4;
  const total = iterations + 1;
  const gaussian = createGaussian(createRandom(options.seed), { pairs: true });
  let basis: Float64Array = new Float64Array(m * width);
  for (let i = 0; i < basis.length; i++) basis[i] = gaussian();
  let l = width;
  for (let step = 0; step < iterations; step++) {
    options.checkAbort?.();
    ({ basis, width: l } = orthonormalize(applyGram(matrix, basis, l), m, l));
    options.onStep?.(step + 1, total);
  }
  options.checkAbort?.();
  const projected = applyGram(matrix, basis, l);
  const small = upperProduct(basis, projected, m, l);
  const { values, vectors } = symmetricEigen(small, l);
  const top = values[0] ?? 0;
  let rank = 0;
  while (rank < Math.min(options.components, l) && values[rank]! > top * ritzFloor && values[rank]! > 0) rank++;
  const components = multiply(basis, m, l, vectors, l, rank);
  fixSigns(components, m, rank);
  const singularValues = new Float64Array(rank);
  for (let c = 0; c < rank; c++) singularValues[c] = Math.sqrt(values[c]!);
  options.onStep?.(total, total);
  return { rank, singularValues, components };
}

/** XᵀX·Q for Q row-major m × l, one pass over the rows of X. */
function applyGram(matrix: SparseRows, basis: Float64Array, l: number): Float64Array {
  const out = new Float64Array(matrix.columns * l);
  const row = new Float64Array(l);
  const { indptr, indices, data } = matrix;
  for (let r = 0; r < matrix.rows; r++) {
    const start = indptr[r]!;
    const end = indptr[r + 1]!;
    if (start === end) continue;
    row.fill(0);
    for (let p = start; p < end; p++) {
      const value = data[p]!;
      const base = indices[p]! * l;
      for (let c = 0; c < l; c++) row[c]! += value * basis[base + c]!;
    }
    for (let p = start; p < end; p++) {
      const value = data[p]!;
      const base = indices[p]! * l;
      for (let c = 0; c < l; c++) out[base + c]! += value * row[c]!;
    }
  }
  return out;
}

/** Orthonormal basis of the column span of Y (m × l) from the eigenvectors of YᵀY; drops dependent directions. */
function orthonormalize(Y: Float64Array, m: number, l: number): { basis: Float64Array; width: number } {
  const gram = upperProduct(Y, Y, m, l);
  const { values, vectors } = symmetricEigen(gram, l);
  const top = values[0] ?? 0;
  let width = 0;
  while (width < l && values[width]! > top * gramFloor && values[width]! > 0) width++;
  // Scale eigenvector columns by 1/sqrt(λ), so that Y·W·Λ^(-1/2) has orthonormal columns.
  const transform = new Float64Array(l * width);
  for (let a = 0; a < l; a++) {
    for (let c = 0; c < width; c++) transform[a * width + c] = vectors[a * l + c]! / Math.sqrt(values[c]!);
  }
  return { basis: multiply(Y, m, l, transform, width, width), width };
}

/** Upper triangle of leftᵀ·right for row-major m × l matrices (rows taken four at a time for speed). */
function upperProduct(left: Float64Array, right: Float64Array, m: number, l: number): Float64Array {
  const target = new Float64Array(l * l);
  let row = 0;
  for (; row + 4 <= m; row += 4) {
    const o0 = row * l;
    const o1 = o0 + l;
    const o2 = o1 + l;
    const o3 = o2 + l;
    for (let a = 0; a < l; a++) {
      const v0 = left[o0 + a]!;
      const v1 = left[o1 + a]!;
      const v2 = left[o2 + a]!;
      const v3 = left[o3 + a]!;
      const base = a * l;
      for (let b = a; b < l; b++) {
        target[base + b]! += v0 * right[o0 + b]! + v1 * right[o1 + b]! + v2 * right[o2 + b]! + v3 * right[o3 + b]!;
      }
    }
  }
  for (; row < m; row++) {
    const offset = row * l;
    for (let a = 0; a < l; a++) {
      const value = left[offset + a]!;
      const base = a * l;
      for (let b = a; b < l; b++) target[base + b]! += value * right[offset + b]!;
    }
  }
  // Mirror the upper triangle.
  for (let a = 0; a < l; a++) for (let b = a + 1; b < l; b++) target[b * l + a] = target[a * l + b]!;
  return target;
}

/** (m × l) · (the first w columns of a row-major l × stride matrix) → m × w, four rows at a time. */
function multiply(left: Float64Array, m: number, l: number, right: Float64Array, stride: number, w: number): Float64Array {
  // Transposed copy of the right factor, so every inner loop reads contiguous memory.
  const rightT = new Float64Array(w * l);
  for (let a = 0; a < l; a++) for (let c = 0; c < w; c++) rightT[c * l + a] = right[a * stride + c]!;
  const out = new Float64Array(m * w);
  let row = 0;
  for (; row + 4 <= m; row += 4) {
    const o0 = row * l;
    const o1 = o0 + l;
    const o2 = o1 + l;
    const o3 = o2 + l;
    let c = 0;
    // Two output columns per pass: six loads feed eight multiply-adds.
    for (; c + 2 <= w; c += 2) {
      const base = c * l;
      const next = base + l;
      let s0 = 0, s1 = 0, s2 = 0, s3 = 0, t0 = 0, t1 = 0, t2 = 0, t3 = 0;
      for (let a = 0; a < l; a++) {
        const r = rightT[base + a]!;
        const q = rightT[next + a]!;
        const x0 = left[o0 + a]!;
        const x1 = left[o1 + a]!;
        const x2 = left[o2 + a]!;
        const x3 = left[o3 + a]!;
        s0 += x0 * r;
        s1 += x1 * r;
        s2 += x2 * r;
        s3 += x3 * r;
        t0 += x0 * q;
        t1 += x1 * q;
        t2 += x2 * q;
        t3 += x3 * q;
      }
      out[row * w + c] = s0;
      out[(row + 1) * w + c] = s1;
      out[(row + 2) * w + c] = s2;
      out[(row + 3) * w + c] = s3;
      out[row * w + c + 1] = t0;
      out[(row + 1) * w + c + 1] = t1;
      out[(row + 2) * w + c + 1] = t2;
      out[(row + 3) * w + c + 1] = t3;
    }
    for (; c < w; c++) {
      const base = c * l;
      for (let k = 0; k < 4; k++) {
        let sum = 0;
        for (let a = 0; a < l; a++) sum += left[o0 + k * l + a]! * rightT[base + a]!;
        out[(row + k) * w + c] = sum;
      }
    }
  }
  for (; row < m; row++) {
    const offset = row * l;
    for (let c = 0; c < w; c++) {
      const base = c * l;
      let sum = 0;
      for (let a = 0; a < l; a++) sum += left[offset + a]! * rightT[base + a]!;
      out[row * w + c] = sum;
    }
  }
  return out;
}

/** Makes the largest-magnitude entry of each component positive, so signs are reproducible. */
function fixSigns(components: Float64Array, m: number, rank: number): void {
  for (let c = 0; c < rank; c++) {
    let best = 0;
    for (let row = 0; row < m; row++) {
      const value = components[row * rank + c]!;
      if (Math.abs(value) > Math.abs(best)) best = value;
    }
    if (best < 0) for (let row = 0; row < m; row++) components[row * rank + c] = -components[row * rank + c]!;
  }
}
