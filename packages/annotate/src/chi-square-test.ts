import { InvalidInputError } from '@corpus-proximity/core';
import { chiSquareSurvival } from './special-functions.js';

/** Result of Pearson's χ² test of independence on a contingency table. */
export interface ChiSquareResult {
  statistic: number;
  degreesOfFreedom: number;
  pValue: number;
  /** Expected counts under independence, for the rows and columns kept. */
  expected: number[][];
  /** Total count. */
  n: number;
  /** Whether Yates' continuity correction was applied (2 × 2 tables only). */
  corrected: boolean;
  /** Rows and columns of the input dropped because they sum to zero. */
  droppedRows: number[];
  droppedColumns: number[];
  /** Share of cells with an expected count below 5: above 0.2 the χ² approximation is doubtful (use fisherExact for 2 × 2). */
  lowExpectedShare: number;
}

/**
 * Pearson's χ² test of independence of rows and columns (e.g. cluster × correct/incorrect).
 * Rows or columns that sum to zero are dropped. Like scipy's chi2_contingency and R's chisq.test,
 * a 2 × 2 table gets Yates' continuity correction unless `correction` is false.
 */
export function chiSquareTest(table: number[][], options: { correction?: boolean } = {}): ChiSquareResult {
  const { rows, droppedRows, droppedColumns } = cleanTable(table);
  const rowSums = rows.map((row) => row.reduce((sum, value) => sum + value, 0));
  const columnSums = rows[0]!.map((_, column) => rows.reduce((sum, row) => sum + row[column]!, 0));
  const n = rowSums.reduce((sum, value) => sum + value, 0);
  const degreesOfFreedom = (rows.length - 1) * (columnSums.length - 1);
  const corrected = (options.correction ?? true) && degreesOfFreedom === 1;
  const expected = rowSums.map((rowSum) => columnSums.map((columnSum) => (rowSum * columnSum) / n));
  let statistic = 0;
  let low = 0;
  rows.forEach((row, r) =>
    row.forEach((observed, c) => {
      const expectation = expected[r]![c]!;
      if (expectation < 5) low++;
      // Yates: shrink |O − E| by 0.5, never past zero (as scipy does).
      const difference = corrected ? Math.max(0, Math.abs(observed - expectation) - 0.5) : observed - expectation;
      statistic += (difference * difference) / expectation;
    }),
  );
  return {
    statistic,
    degreesOfFreedom,
    pValue: degreesOfFreedom === 0 ? 1 : chiSquareSurvival(statistic, degreesOfFreedom),
    expected,
    n,
    corrected,
    droppedRows,
    droppedColumns,
    lowExpectedShare: low / (rows.length * columnSums.length),
  };
}

/** The table without all-zero rows and columns, after checking it holds non-negative finite counts in equal-length rows. */
export function cleanTable(table: number[][]): { rows: number[][]; droppedRows: number[]; droppedColumns: number[] } {
  const width = table[0]?.length ?? 0;
  if (table.length === 0 || width === 0) throw new InvalidInputError('a contingency table needs at least one row and one column');
  table.forEach((row, r) => {
    if (row.length !== width) throw new InvalidInputError(`contingency table row ${r} has ${row.length} cells; row 0 has ${width}`);
    row.forEach((value, c) => {
      if (!Number.isFinite(value) || value < 0) throw new InvalidInputError(`contingency table cell [${r}][${c}] is ${value}; counts must be finite and ≥ 0`);
    });
  });
  const droppedRows = table.flatMap((row, r) => (row.every((value) => value === 0) ? [r] : []));
  const droppedColumns = table[0]!.flatMap((_, c) => (table.every((row) => row[c] === 0) ? [c] : []));
  const rows = table
    .filter((_, r) => !droppedRows.includes(r))
    .map((row) => row.filter((_, c) => !droppedColumns.includes(c)));
  if (rows.length === 0 || rows[0]!.length === 0) throw new InvalidInputError('the contingency table is all zeros; there is nothing to test');
  return { rows, droppedRows, droppedColumns };
}
