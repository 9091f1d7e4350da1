import type { TextChunk } from './text-chunk.js';

/** One window of a text: a core TextChunk (a verbatim slice by character offsets) with its token count. */
export interface TokenWindow extends TextChunk {
  /** Sum of the token counts of the window's words. */
  tokens: number;
}

/** Options of {@link createTokenWindowSplitter}. */
export interface TokenWindowOptions {
  /** Content tokens of a text, without special tokens (an embedder's `countTokens`). */
  countTokens: (text: string) => number;
  /** Most content tokens per window (default 510: 512 minus [CLS] and [SEP]). */
  maxTokens?: number;
  /** Fraction of a window repeated at the start of the next (default 0.15). */
  overlap?: number;
  /** Words whose counts are remembered (default 100,000; the cache is cleared when full). */
  cacheSize?: number;
}

interface Unit {
  start: number;
  end: number;
  tokens: number;
}

/**
 * Makes a function (usable as a core `Chunker`) that cuts a text into overlapping windows of at most `maxTokens` tokens.
 * Tokens are counted per whitespace-separated word (with a cache), and windows are cut at the
 * words' character offsets, so chunk text is always a verbatim slice of the original (tokenizers
 * give no offsets, and decoding does not give the original back). A word longer than a window is
 * cut inside. Counting per word is exact for BERT WordPiece, which never joins across whitespace.
 */
export function createTokenWindowSplitter(options: TokenWindowOptions): (text: string) => TokenWindow[] {
  const maxTokens = options.maxTokens ?? 510;
  const overlap = options.overlap ?? 0.15;
  const cacheSize = options.cacheSize ?? 100_000;
  if (!Number.isInteger(maxTokens) || maxTokens < 1) throw new RangeError(`maxTokens must be a positive integer, got ${maxTokens}`);
  if (!(overlap >= 0 && overlap < 1)) throw new RangeError(`overlap must be in [0, 1), got ${overlap}`);
  const cache = new Map<string, number>();
  const count = (piece: string): number => {
    let tokens = cache.get(piece);
    if (tokens === undefined) {
      if (cache.size >= cacheSize) cache.clear();
      tokens = options.countTokens(piece);
      cache.set(piece, tokens);
    }
    return tokens;
  };

  // Splits [start, end) of text into units of at most maxTokens tokens, halving as needed.
  const units = (text: string, start: number, end: number, out: Unit[]): void => {
    const tokens = count(text.slice(start, end));
    if (tokens <= maxTokens || end - start <= 1) {
      out.push({ start, end, tokens });
      return;
    }
    let middle = start + Math.floor((end - start) / 2);
    if (isLowSurrogate(text.charCodeAt(middle)) && middle - 1 > start) middle--;
    units(text, start, middle, out);
    units(text, middle, end, out);
  };

  return (text) => {
    const all: Unit[] = [];
    for (const match of text.matchAll(/\S+/g)) units(text, match.index, match.index + match[0].length, all);
    const windows: TokenWindow[] = [];
    let first = 0;
    while (first < all.length) {
      let last = first;
      let tokens = 0;
      while (last < all.length && (last === first || tokens + all[last]!.tokens <= maxTokens)) tokens += all[last++]!.tokens;
      const charStart = all[first]!.start;
      const charEnd = all[last - 1]!.end;
      windows.push({ text: text.slice(charStart, charEnd), charStart, charEnd, tokens });
      if (last >= all.length) break;
      // Step back over whole words worth at most `overlap` of this window, always moving forward.
      let next = last;
      let repeated = 0;
      while (next - 1 > first && repeated + all[next - 1]!.tokens <= overlap * tokens) repeated += all[--next]!.tokens;
      first = next;
    }
    return windows;
  };
}

function isLowSurrogate(code: number): boolean {
  return code >= 0xdc00 && code <= 0xdfff;
}
