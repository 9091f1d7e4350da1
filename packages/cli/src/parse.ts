import { UsageError } from './usage-error.js';

/** Parses a whole-number flag value, naming the flag when it is not one. */
export function parseInteger(value: string, flag: string, options: { min?: number } = {}): number {
  const number = Number(value);
  if (!Number.isInteger(number) || number < (options.min ?? 0)) {
    throw new UsageError(`${flag} ${value}: expected a whole number${options.min !== undefined ? ` ≥ ${options.min}` : ''}`);
  }
  return number;
}

/** Checks a fit-sample value: a whole number ≥ 2, "all" or "auto" (undefined stays undefined). */
export function parseFitSample(value: string | number | undefined, flag: string): number | 'all' | 'auto' | undefined {
  if (value === undefined || value === 'all' || value === 'auto') return value;
  return parseInteger(String(value), flag, { min: 2 });
}
