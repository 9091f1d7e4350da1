import { InvalidInputError } from '@corpus-proximity/core';

/**
 * Benjamini–Hochberg adjusted p-values (false discovery rate), in the input order: the smallest
 * m·p(i)/i over the ranks i at or above each p-value, capped at 1 (as R's p.adjust(method = "BH")).
 */
export function benjaminiHochberg(pValues: readonly number[]): number[] {
  for (const [position, p] of pValues.entries()) {
    if (!(p >= 0 && p <= 1)) throw new InvalidInputError(`benjaminiHochberg: p-value ${position} is ${p}; p-values lie in [0, 1]`);
  }
  const m = pValues.length;
  const order = pValues.map((p, position) => ({ p, position })).sort((a, b) => a.p - b.p);
  const adjusted = new Array<number>(m);
  let running = 1;
  for (let rank = m; rank >= 1; rank--) {
    const { p, position } = order[rank - 1]!;
    running = Math.min(running, (m * p) / rank);
    adjusted[position] = running;
  }
  return adjusted;
}
