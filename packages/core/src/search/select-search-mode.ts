import { InvalidInputError } from '../errors.js';

/** How an index searches: exact scan, approximate (HNSW, then exact re-ranking), or auto. */
export type SearchMode = 'exact' | 'ann' | 'auto';

/** `auto` searches approximately above this many chunks (when the index has a search index). */
export const AUTO_ANN_MIN_CHUNKS = 100_000;

/** The search an index uses: `auto` picks ann above AUTO_ANN_MIN_CHUNKS chunks when a search index exists, exact otherwise. */
export function selectSearchMode(mode: SearchMode, index: { count: number; hasSearchIndex: boolean }): 'exact' | 'ann' {
  if (mode === 'exact' || mode === 'ann') return mode;
  if (mode === 'auto') return index.count > AUTO_ANN_MIN_CHUNKS && index.hasSearchIndex ? 'ann' : 'exact';
  throw new InvalidInputError(`search mode must be exact, ann or auto; got ${JSON.stringify(mode)}`);
}
