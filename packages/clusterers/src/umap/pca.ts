import type { Matrix } from '../matrix.js';
import type { RandomSource } from '@corpus-proximity/core/internal';

/**
 * Projects the centred rows onto their top `components` principal directions, found by randomized
 * subspace iteration and a Rayleigh–Ritz step: O(n·d·m) per pass, never a d×d covariance.
 * Directions beyond the data's rank come out as zero columns. Returns an n × components matrix.
 */
export function pcaProject(matrix: Matrix, components: number, random: RandomSource, iterations = 6): Float64Array {
  const { data, rows: n, cols: d } = matrix;
  const out = new Float64Array(n * components);
  const m = Math.min(components + 8, d, n);
  if (n === 0 || d === 0 || m === 0) return out;
  const mean = new Float64Array(d);
  for (let i = 0; i < n; i++) for (let t = 0; t < d; t++) mean[t] = (mean[t] as number) + (data[i * d + t] as number);
  for (let t = 0; t < d; t++) mean[t] = (mean[t] as number) / n;
  // rows are centred on the fly ((x − μ)·v = x·v − μ·v), so no n × d float64 copy is made
  let basis = new Float64Array(d * m); // d × m, column-major by component: basis[c*d + t]
  for (let index = 0; index < basis.length; index++) basis[index] = random.normal();
  orthonormalize(basis, d, m);
  const projected = new Float64Array(n * m); // n × m, row-major
  const meanDot = new Float64Array(m);
  const project = (): void => {
    for (let c = 0; c < m; c++) {
      let sum = 0;
      for (let t = 0; t < d; t++) sum += (mean[t] as number) * (basis[c * d + t] as number);
      meanDot[c] = sum;
    }
    for (let i = 0; i < n; i++) {
      const row = i * d;
      for (let c = 0; c < m; c++) {
        const column = c * d;
        let s0 = 0;
        let s1 = 0;
        let t = 0;
        for (; t + 1 < d; t += 2) {
          s0 += (data[row + t] as number) * (basis[column + t] as number);
          s1 += (data[row + t + 1] as number) * (basis[column + t + 1] as number);
        }
        if (t < d) s0 += (data[row + t] as number) * (basis[column + t] as number);
        projected[i * m + c] = s0 + s1 - (meanDot[c] as number);
      }
    }
  };
  const totals = new Float64Array(m);
  for (let iteration = 0; iteration < iterations; iteration++) {
    project();
    // next = Xᵀy − μ·Σy, columns accumulated row by row
    const next = new Float64Array(d * m);
    totals.fill(0);
    for (let i = 0; i < n; i++) {
      const row = i * d;
      for (let c = 0; c < m; c++) {
        const y = projected[i * m + c] as number;
        if (y === 0) continue;
        totals[c] = (totals[c] as number) + y;
        const column = c * d;
        for (let t = 0; t < d; t++) next[column + t] = (next[column + t] as number) + y * (data[row + t] as number);
      }
    }
    for (let c = 0; c < m; c++) for (let t = 0; t < d; t++) next[c * d + t] = (next[c * d + t] as number) - (totals[c] as number) * (mean[t] as number);
    orthonormalize(next, d, m);
    basis = next;
  }
  project();
  // Rayleigh–Ritz: eigenvectors of the small m × m matrix YᵀY order and rotate the basis
  const gram = new Float64Array(m * m);
  for (let i = 0; i < n; i++) {
    for (let a = 0; a < m; a++) {
      const ya = projected[i * m + a] as number;
      for (let b = a; b < m; b++) gram[a * m + b] = (gram[a * m + b] as number) + ya * (projected[i * m + b] as number);
    }
  }
  for (let a = 0; a < m; a++) for (let b = 0; b < a; b++) gram[a * m + b] = gram[b * m + a] as number;
  const { values, vectors } = jacobiEigen(gram, m);
  const order = Array.from({ length: m }, (_, i) => i).sort((x, y) => (values[y] as number) - (values[x] as number));
  const keep = Math.min(components, m);
  for (let i = 0; i < n; i++) {
    for (let c = 0; c < keep; c++) {
      const column = order[c] as number;
      let sum = 0;
      for (let a = 0; a < m; a++) sum += (projected[i * m + a] as number) * (vectors[a * m + column] as number);
      out[i * components + c] = sum;
    }
  }
  return out;
}

/** Modified Gram–Schmidt on `m` column vectors of length `d` stored one after another; degenerate columns become zero. */
function orthonormalize(columns: Float64Array, d: number, m: number): void {
  for (let c = 0; c < m; c++) {
    for (let previous = 0; previous < c; previous++) {
      let projection = 0;
      for (let t = 0; t < d; t++) projection += (columns[c * d + t] as number) * (columns[previous * d + t] as number);
      for (let t = 0; t < d; t++) columns[c * d + t] = (columns[c * d + t] as number) - projection * (columns[previous * d + t] as number);
    }
    let norm = 0;
    for (let t = 0; t < d; t++) norm += (columns[c * d + t] as number) ** 2;
    norm = Math.sqrt(norm);
    const scale = norm > 1e-10 ? 1 / norm : 0;
    for (let t = 0; t < d; t++) columns[c * d + t] = (columns[c * d + t] as number) * scale;
  }
}

/** Cyclic Jacobi eigen-decomposition of a small symmetric m × m matrix (row-major); vectors are columns. */
function jacobiEigen(input: Float64Array, m: number): { values: Float64Array; vectors: Float64Array } {
  const a = Float64Array.from(input);
  const v = new Float64Array(m * m);
  for (let i = 0; i < m; i++) v[i * m + i] = 1;
  for (let sweep = 0; sweep < 60; sweep++) {
    let off = 0;
    for (let p = 0; p < m; p++) for (let q = p + 1; q < m; q++) off += (a[p * m + q] as number) ** 2;
    if (off < 1e-22) break;
    for (let p = 0; p < m; p++) {
      for (let q = p + 1; q < m; q++) {
        const apq = a[p * m + q] as number;
        if (Math.abs(apq) < 1e-300) continue;
        const theta = ((a[q * m + q] as number) - (a[p * m + p] as number)) / (2 * apq);
        const t = Math.sign(theta || 1) / (Math.abs(theta) + Math.sqrt(theta * theta + 1));
        const c = 1 / Math.sqrt(t * t + 1);
        const s = t * c;
        for (let k = 0; k < m; k++) {
          const akp = a[k * m + p] as number;
          const akq = a[k * m + q] as number;
          a[k * m + p] = c * akp - s * akq;
          a[k * m + q] = s * akp + c * akq;
        }
        for (let k = 0; k < m; k++) {
          const apk = a[p * m + k] as number;
          const aqk = a[q * m + k] as number;
          a[p * m + k] = c * apk - s * aqk;
          a[q * m + k] = s * apk + c * aqk;
        }
        for (let k = 0; k < m; k++) {
          const vkp = v[k * m + p] as number;
          const vkq = v[k * m + q] as number;
          v[k * m + p] = c * vkp - s * vkq;
          v[k * m + q] = s * vkp + c * vkq;
        }
      }
    }
  }
  return { values: Float64Array.from({ length: m }, (_, i) => a[i * m + i] as number), vectors: v };
}
