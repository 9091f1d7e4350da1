import { chiSquareTest } from './chi-square-test.js';

/**
 * Cramér's V, the effect size of a contingency table: √(χ² / (n · (min(rows, columns) − 1))),
 * from 0 (independent) to 1 (each row determines the column). Uses χ² without continuity correction;
 * 0 for a table with a single row or column left after dropping empty ones.
 */
export function cramersV(table: number[][]): number {
  const result = chiSquareTest(table, { correction: false });
  const rows = result.expected.length;
  const columns = result.expected[0]!.length;
  const smaller = Math.min(rows, columns) - 1;
  if (smaller === 0) return 0;
  return Math.sqrt(result.statistic / (result.n * smaller));
}
