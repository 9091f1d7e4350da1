import { UsageError } from './usage-error.js';

/** Parses a whole-number flag value, naming the flag when it is not one. */
export function parseInteger(value: string, flag: string, options: { min?: number } = {}): number {
  const number = Number(value);
  if (!Number.isInteger(number) || number < (options.min ?? 0)) {
    throw new UsageError(`${flag} ${value}: expected a whole number${options.min !== undefined ? ` ≥ ${options.min}` : ''}`);
  }
  return number;
}
