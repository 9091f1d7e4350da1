import { InvalidInputError } from '../errors.js';
import { sliceChunk, type TextChunk } from './text-chunk.js';

/** Options of chunkParagraphs. */
export interface ParagraphChunkOptions {
  /** Longest chunk in characters; longer paragraphs are cut at sentence, then word boundaries. Default 2000. */
  maxChars?: number;
  /** Paragraphs shorter than this are joined with the next ones (up to maxChars). Default 0: never join. */
  minChars?: number;
}

/**
 * Splits a text into paragraphs at blank lines, trimmed of surrounding whitespace, with offsets
 * into the original text. Paragraphs longer than maxChars are cut at sentence ends, else at
 * whitespace, else anywhere (never inside a surrogate pair).
 */
export function chunkParagraphs(text: string, options: ParagraphChunkOptions = {}): TextChunk[] {
  const maxChars = options.maxChars ?? 2000;
  const minChars = options.minChars ?? 0;
  if (!Number.isInteger(maxChars) || maxChars < 1) throw new InvalidInputError(`chunkParagraphs: maxChars must be a positive integer, got ${maxChars}`);
  if (minChars > maxChars) throw new InvalidInputError(`chunkParagraphs: minChars (${minChars}) is larger than maxChars (${maxChars})`);

  const pieces: Array<[number, number]> = [];
  for (const [start, end] of paragraphSpans(text)) {
    if (end - start <= maxChars) pieces.push([start, end]);
    else pieces.push(...cutLong(text, start, end, maxChars));
  }
  const chunks: TextChunk[] = [];
  let index = 0;
  while (index < pieces.length) {
    let [start, end] = pieces[index++]!;
    // Join short pieces with the following ones while the result stays within maxChars.
    while (end - start < minChars && index < pieces.length && pieces[index]![1] - start <= maxChars) end = pieces[index++]![1];
    chunks.push(sliceChunk(text, start, end));
  }
  return chunks;
}

// Paragraphs: runs of text between blank lines (lines holding only whitespace), trimmed.
function paragraphSpans(text: string): Array<[number, number]> {
  const spans: Array<[number, number]> = [];
  const separator = /\n[ \t\r\f\v]*\n/g;
  let start = 0;
  const push = (from: number, to: number) => {
    while (from < to && isSpace(text.charCodeAt(from))) from++;
    while (to > from && isSpace(text.charCodeAt(to - 1))) to--;
    if (to > from) spans.push([from, to]);
  };
  for (let match = separator.exec(text); match !== null; match = separator.exec(text)) {
    push(start, match.index);
    // Let a run of blank lines share its last newline with the next match.
    start = match.index + match[0].length - 1;
    separator.lastIndex = start;
  }
  push(start, text.length);
  return spans;
}

function cutLong(text: string, start: number, end: number, maxChars: number): Array<[number, number]> {
  const pieces: Array<[number, number]> = [];
  while (end - start > maxChars) {
    const limit = start + maxChars;
    // A sentence end in the second half of the window, else the last word end, else a hard cut.
    let cut = lastBoundary(text, start + Math.floor(maxChars / 2), limit, sentenceEnd);
    if (cut <= start) cut = lastBoundary(text, start, limit, wordEnd);
    if (cut <= start) cut = isLowSurrogate(text.charCodeAt(limit)) && limit - 1 > start ? limit - 1 : limit;
    let pieceEnd = cut;
    while (pieceEnd > start && isSpace(text.charCodeAt(pieceEnd - 1))) pieceEnd--;
    pieces.push([start, pieceEnd]);
    start = cut;
    while (start < end && isSpace(text.charCodeAt(start))) start++;
  }
  if (end > start) pieces.push([start, end]);
  return pieces;
}

// Largest cut position in (start, limit] where `accept(text, position)` holds, or -1.
function lastBoundary(text: string, start: number, limit: number, accept: (text: string, position: number) => boolean): number {
  for (let position = limit; position > start; position--) if (accept(text, position)) return position;
  return -1;
}

// A sentence ends after . ! ? (optionally followed by closing quotes/brackets) when whitespace follows.
function sentenceEnd(text: string, position: number): boolean {
  if (!isSpace(text.charCodeAt(position))) return false;
  let before = position - 1;
  while (before >= 0 && ')]"\'”’'.includes(text[before]!)) before--;
  const mark = text[before];
  return mark === '.' || mark === '!' || mark === '?' || mark === '。';
}

function wordEnd(text: string, position: number): boolean {
  return isSpace(text.charCodeAt(position)) && !isSpace(text.charCodeAt(position - 1));
}

function isSpace(code: number): boolean {
  return code === 32 || (code >= 9 && code <= 13) || code === 0xa0 || code === 0x3000 || code === 0x2028 || code === 0x2029;
}

function isLowSurrogate(code: number): boolean {
  return code >= 0xdc00 && code <= 0xdfff;
}
