import { InvalidInputError } from '@corpus-proximity/core';
import { logGamma } from './special-functions.js';

/** Which departure from independence Fisher's exact test looks for. */
export type FisherAlternative = 'two-sided' | 'less' | 'greater';

/** Result of Fisher's exact test on a 2 × 2 table. */
export interface FisherExactResult {
  pValue: number;
  /** Sample odds ratio a·d / (b·c) (Infinity when b·c = 0 < a·d, NaN when both are 0). */
  oddsRatio: number;
}

/**
 * Fisher's exact test of the 2 × 2 table [[a, b], [c, d]], for small counts where χ² is unreliable.
 * 'greater' tests whether the odds ratio exceeds 1 (a large); two-sided sums every table at most as
 * likely as the observed one (with R's and scipy's relative tolerance of 1e-7).
 */
export function fisherExact(a: number, b: number, c: number, d: number, alternative: FisherAlternative = 'two-sided'): FisherExactResult {
  for (const [name, value] of Object.entries({ a, b, c, d })) {
    if (!Number.isInteger(value) || value < 0) throw new InvalidInputError(`fisherExact: ${name} is ${value}; cells must be integers ≥ 0`);
  }
  const oddsRatio = (a * d) / (b * c);
  // With the margins fixed, a alone decides the table; it follows a hypergeometric distribution.
  const row1 = a + b;
  const column1 = a + c;
  const n = a + b + c + d;
  const low = Math.max(0, column1 - (n - row1));
  const high = Math.min(row1, column1);
  const logDenominator = logChoose(n, column1);
  const probability = (x: number) => Math.exp(logChoose(row1, x) + logChoose(n - row1, column1 - x) - logDenominator);

  let pValue = 0;
  if (alternative === 'less') for (let x = low; x <= a; x++) pValue += probability(x);
  else if (alternative === 'greater') for (let x = a; x <= high; x++) pValue += probability(x);
  else {
    const observed = probability(a);
    for (let x = low; x <= high; x++) {
      const p = probability(x);
      if (p <= observed * (1 + 1e-7)) pValue += p;
    }
  }
  return { pValue: Math.min(1, pValue), oddsRatio };
}

/** log of the binomial coefficient C(n, k). */
function logChoose(n: number, k: number): number {
  if (k < 0 || k > n) return -Infinity;
  return logGamma(n + 1) - logGamma(k + 1) - logGamma(n - k + 1);
}
