import nlp from 'compromise/one';
import { prepareText } from './prepare-text.js';

/** One sentence of a text: `text === original.slice(start, end)`, trimmed of surrounding whitespace. */
export interface SentenceSpan {
  text: string;
  start: number;
  end: number;
}

/**
 * Splits text into sentences with character offsets into the original text.
 * Uses compromise's tokenizer, then fixes what it gets wrong on model outputs:
 * a fenced code block stays one span, inline code and math never break, hard-wrapped
 * lines of a paragraph are joined, "Eq. 2" / "Fig. 3" / "Sec. 4" are not split, and
 * `"Why?" Nobody knew.` is.
 */
export function splitSentences(text: string): SentenceSpan[] {
  if (text.trim() === '') return [];
  const { segments, masked } = prepareText(text);
  const ranges: Array<[number, number]> = [];
  for (const segment of segments) {
    if (segment.kind === 'code') ranges.push([segment.start, segment.end]);
    else ranges.push(...splitQuotes(masked, mergeReferences(masked, splitProse(masked, segment.start, segment.end))));
  }
  const spans: SentenceSpan[] = [];
  for (const [rangeStart, rangeEnd] of ranges) {
    let start = rangeStart;
    let end = rangeEnd;
    while (start < end && isSpace(text[start]!)) start++;
    while (end > start && isSpace(text[end - 1]!)) end--;
    if (end > start) spans.push({ text: text.slice(start, end), start, end });
  }
  return spans;
}

/** Runs compromise on one prose segment and maps its sentences back to offsets; nothing outside whitespace is lost. */
function splitProse(masked: string, segmentStart: number, segmentEnd: number): Array<[number, number]> {
  const piece = masked.slice(segmentStart, segmentEnd);
  if (piece.trim() === '') return [];
  const sentences = nlp(piece).out('array') as string[];
  const ranges: Array<[number, number]> = [];
  let cursor = 0;
  for (const sentence of sentences) {
    if (sentence === '') continue;
    // Sentences come in order; compromise keeps their characters, so each is found at or after the cursor.
    const index = piece.indexOf(sentence, cursor);
    if (index === -1) continue;
    // Text compromise skipped (it should not) becomes a sentence of its own rather than vanish.
    if (piece.slice(cursor, index).trim() !== '') ranges.push([segmentStart + cursor, segmentStart + index]);
    ranges.push([segmentStart + index, segmentStart + index + sentence.length]);
    cursor = index + sentence.length;
  }
  if (piece.slice(cursor).trim() !== '') ranges.push([segmentStart + cursor, segmentEnd]);
  return ranges.flatMap((range) => splitAtLineBreaks(masked, range));
}

/** Line breaks left in the masked text are breaks by decision (list items, table rows, headings): compromise must not join across them. */
function splitAtLineBreaks(masked: string, [start, end]: [number, number]): Array<[number, number]> {
  const result: Array<[number, number]> = [];
  let cursor = start;
  for (let index = masked.indexOf('\n', start); index !== -1 && index < end; index = masked.indexOf('\n', index + 1)) {
    if (masked.slice(cursor, index).trim() !== '') result.push([cursor, index]);
    cursor = index + 1;
  }
  if (masked.slice(cursor, end).trim() !== '') result.push([cursor, end]);
  return result;
}

// Abbreviations that are followed by a number in technical writing ("Eq. 2", "Fig. 3a", "Sec. 4.1", "pp. 12").
const REFERENCE_ABBREVIATION =
  /(?:^|[\s([])(?:Eqs?|Eqns?|Figs?|Secs?|Sects?|Refs?|Tabs?|Tbls?|Thms?|Lems?|Defs?|Props?|Cors?|Chs?|Chaps?|Apps?|Algs?|Exs?|Nos?|Vols?|pp?|resp|ca)\.$/i;
const REFERENCE_TARGET = /^(?:[\d([]|[IVX]+\b)/;
// Abbreviations that never end a sentence, whatever follows ("Python vs. Java").
const NEVER_FINAL = /(?:^|[\s([])(?:vs|cf|viz|approx|incl|esp)\.$/i;

/** Joins "Eq." with the "2 shows…" compromise split off (and "vs." with whatever follows), when only spaces separate them. */
function mergeReferences(masked: string, ranges: Array<[number, number]>): Array<[number, number]> {
  const merged: Array<[number, number]> = [];
  for (const range of ranges) {
    const previous = merged[merged.length - 1];
    if (
      previous &&
      /^[ \t]*$/.test(masked.slice(previous[1], range[0])) &&
      (NEVER_FINAL.test(masked.slice(previous[0], previous[1]).trimEnd()) ||
        (REFERENCE_ABBREVIATION.test(masked.slice(previous[0], previous[1]).trimEnd()) &&
          REFERENCE_TARGET.test(masked.slice(range[0], range[1]).trimStart())))
    ) {
      previous[1] = range[1];
    } else {
      merged.push([range[0], range[1]]);
    }
  }
  return merged;
}

// A quoted sentence that ends in a closing quote, followed by a capitalized sentence: `"Why?" Nobody knew.`
const QUOTE_END = /[.?!…]+["”’'»]+(?=\s+["“‘'«]?[A-Z])/g;

/** Splits after a closing quote that ends a sentence, which compromise keeps together. */
function splitQuotes(masked: string, ranges: Array<[number, number]>): Array<[number, number]> {
  const result: Array<[number, number]> = [];
  for (const [start, end] of ranges) {
    let cursor = start;
    for (const match of masked.slice(start, end).matchAll(QUOTE_END)) {
      const cut = start + match.index + match[0].length;
      if (cut < end) {
        result.push([cursor, cut]);
        cursor = cut;
      }
    }
    result.push([cursor, end]);
  }
  return result;
}

/** Whitespace, as String.prototype.trim sees it. */
function isSpace(character: string): boolean {
  return character.trim() === '';
}
