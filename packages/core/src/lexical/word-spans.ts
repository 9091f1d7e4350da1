/** A word of a text with its character offsets ([start, end)). */
export interface WordSpan {
  /** Lowercased. */
  word: string;
  start: number;
  end: number;
}

// Runs of letters and digits (Unicode-aware); apostrophes, hyphens and symbols separate words.
const WORD = /[\p{L}\p{N}]+/gu;

/** The lowercased words of a text with their offsets: the tokens the lexical index counts. */
export function wordSpans(text: string): WordSpan[] {
  const spans: WordSpan[] = [];
  for (const match of text.matchAll(WORD)) spans.push({ word: match[0].toLowerCase(), start: match.index, end: match.index + match[0].length });
  return spans;
}

/** Just the lowercased words of a text. */
export function words(text: string): string[] {
  return wordSpans(text).map((span) => span.word);
}
