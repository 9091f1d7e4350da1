import { InvalidInputError } from '../errors.js';
import { sliceChunk, type TextChunk } from './text-chunk.js';

/** Options of chunkWordWindows. */
export interface WordWindowOptions {
  /** Words per window; default 200. */
  windowWords?: number;
  /** Words shared by consecutive windows; default 30. */
  overlapWords?: number;
}

/**
 * Cuts a text into windows of whitespace-separated words that overlap by a fixed number of words.
 * Each window spans from its first word's start to its last word's end in the original text.
 */
export function chunkWordWindows(text: string, options: WordWindowOptions = {}): TextChunk[] {
  const windowWords = options.windowWords ?? 200;
  const overlapWords = options.overlapWords ?? 30;
  if (!Number.isInteger(windowWords) || windowWords < 1) {
    throw new InvalidInputError(`chunkWordWindows: windowWords must be a positive integer, got ${windowWords}`);
  }
  if (!Number.isInteger(overlapWords) || overlapWords < 0 || overlapWords >= windowWords) {
    throw new InvalidInputError(`chunkWordWindows: overlapWords must be an integer from 0 to windowWords − 1 (${windowWords - 1}), got ${overlapWords}`);
  }
  const starts: number[] = [];
  const ends: number[] = [];
  for (const match of text.matchAll(/\S+/g)) {
    starts.push(match.index);
    ends.push(match.index + match[0].length);
  }
  const chunks: TextChunk[] = [];
  const step = windowWords - overlapWords;
  for (let first = 0; first < starts.length; first += step) {
    const last = Math.min(first + windowWords, starts.length) - 1;
    chunks.push(sliceChunk(text, starts[first]!, ends[last]!));
    if (last === starts.length - 1) break;
  }
  return chunks;
}
