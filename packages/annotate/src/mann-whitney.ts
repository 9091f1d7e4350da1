import { InvalidInputError } from '@corpus-proximity/core';
import { regularizedGammaQ } from './special-functions.js';

/** Result of the two-sided Mann–Whitney U test of two samples. */
export interface MannWhitneyResult {
  /** U of the first sample: how many (x, y) pairs have x > y, ties counting ½. */
  u: number;
  /** U / (n₁ · n₂): the probability that a value of the first sample exceeds one of the second (the AUROC when the first sample are the positives). */
  auroc: number;
  /** Two-sided p-value from the normal approximation with tie and continuity corrections (scipy's method="asymptotic"). */
  pValue: number;
}

/** Two-sided Mann–Whitney U test (Wilcoxon rank-sum) of x against y. */
export function mannWhitneyU(x: readonly number[], y: readonly number[]): MannWhitneyResult {
  const n1 = x.length;
  const n2 = y.length;
  if (n1 === 0 || n2 === 0) throw new InvalidInputError(`mannWhitneyU needs two non-empty samples; got ${n1} and ${n2} values`);
  for (const value of [...x, ...y]) if (!Number.isFinite(value)) throw new InvalidInputError(`mannWhitneyU: values must be finite; got ${value}`);
  const all = [...x.map((value) => ({ value, first: true })), ...y.map((value) => ({ value, first: false }))].sort((a, b) => a.value - b.value);
  const n = n1 + n2;
  let rankSum = 0;
  let tieTerm = 0;
  for (let start = 0; start < n; ) {
    let end = start;
    while (end + 1 < n && all[end + 1]!.value === all[start]!.value) end++;
    const rank = (start + end) / 2 + 1;
    const size = end - start + 1;
    tieTerm += size ** 3 - size;
    for (let i = start; i <= end; i++) if (all[i]!.first) rankSum += rank;
    start = end + 1;
  }
  const u = rankSum - (n1 * (n1 + 1)) / 2;
  const mean = (n1 * n2) / 2;
  const variance = ((n1 * n2) / 12) * (n + 1 - tieTerm / (n * (n - 1)));
  const z = variance > 0 ? Math.max(0, Math.abs(u - mean) - 0.5) / Math.sqrt(variance) : 0;
  return { u, auroc: u / (n1 * n2), pValue: Math.min(1, 2 * normalSurvival(z)) };
}

/** P(Z ≥ z) for a standard normal Z and z ≥ 0: erfc(z / √2) / 2, with erfc(t) = Q(½, t²). */
export function normalSurvival(z: number): number {
  if (z <= 0) return 0.5 + (z === 0 ? 0 : 0.5 - normalSurvival(-z));
  return regularizedGammaQ(0.5, (z * z) / 2) / 2;
}

/** Pearson correlation of two equal-length lists (the point-biserial r when one is 0/1); NaN when either is constant. */
export function pearsonCorrelation(x: readonly number[], y: readonly number[]): number {
  const n = x.length;
  const mx = x.reduce((sum, value) => sum + value, 0) / n;
  const my = y.reduce((sum, value) => sum + value, 0) / n;
  let sxy = 0;
  let sxx = 0;
  let syy = 0;
  for (let i = 0; i < n; i++) {
    sxy += (x[i]! - mx) * (y[i]! - my);
    sxx += (x[i]! - mx) ** 2;
    syy += (y[i]! - my) ** 2;
  }
  return sxy / Math.sqrt(sxx * syy);
}
