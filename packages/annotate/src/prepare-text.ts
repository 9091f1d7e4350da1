/** A stretch of text to split into sentences ('prose') or keep whole ('code': a fenced code block). */
export interface TextSegment {
  kind: 'prose' | 'code';
  start: number;
  end: number;
}

/** The text cut into prose and fenced-code segments, plus a same-length copy of it prepared for the sentence splitter. */
export interface PreparedText {
  segments: TextSegment[];
  /**
   * Same length as the input, so every offset into it is an offset into the input:
   * inline code and math are replaced by filler letters (no sentence breaks inside them),
   * and line breaks inside a paragraph by spaces (a hard-wrapped sentence stays one sentence).
   */
  masked: string;
}

/** Finds fenced code blocks, masks inline code and math, and joins hard-wrapped lines, keeping every offset. */
export function prepareText(text: string): PreparedText {
  const segments = findSegments(text);
  const characters = text.split('');
  for (const segment of segments) {
    if (segment.kind !== 'prose') continue;
    const prose = text.slice(segment.start, segment.end);
    maskInline(prose, segment.start, characters);
    joinWrappedLines(characters, segment.start, segment.end);
  }
  return { segments, masked: characters.join('') };
}

// Opening fence: up to 3 spaces, then ``` or ~~~ (3 or more), then an optional info string.
const FENCE_OPEN = /^[ \t]{0,3}(`{3,}|~{3,})/;

/** Cuts the text into prose and fenced-code segments by scanning its lines. */
function findSegments(text: string): TextSegment[] {
  const segments: TextSegment[] = [];
  let proseStart = 0;
  let position = 0;
  while (position < text.length) {
    const lineEnd = endOfLine(text, position);
    const line = text.slice(position, lineEnd);
    const open = FENCE_OPEN.exec(line);
    // A backtick fence's info string may not contain backticks (CommonMark): "```a``` b" is inline code.
    if (!open || (open[1]![0] === '`' && line.slice(open[0].length).includes('`'))) {
      position = lineEnd + 1;
      continue;
    }
    const fence = open[1]!;
    const blockStart = position + open[0].length - fence.length;
    // The block runs to the closing fence (same character, at least as long), or to the end of the text.
    const closing = new RegExp(`^[ \\t]{0,3}${fence[0] === '`' ? '`' : '~'}{${fence.length},}[ \\t]*$`);
    let blockEnd = text.length;
    let scan = lineEnd + 1;
    while (scan < text.length) {
      const scanEnd = endOfLine(text, scan);
      if (closing.test(text.slice(scan, scanEnd).replace(/\r$/, ''))) {
        blockEnd = scanEnd;
        break;
      }
      scan = scanEnd + 1;
    }
    if (blockStart > proseStart) segments.push({ kind: 'prose', start: proseStart, end: position });
    segments.push({ kind: 'code', start: blockStart, end: trimEnd(text, blockStart, blockEnd) });
    proseStart = blockEnd;
    position = blockEnd + 1;
  }
  if (proseStart < text.length) segments.push({ kind: 'prose', start: proseStart, end: text.length });
  return segments;
}

// Inline code, display math ($$…$$, \[…\]) and inline math (\(…\), and $…$ with pandoc's rule so that "$5 and $10" is not math).
const INLINE = /`[^`\n]+`|\$\$[\s\S]+?\$\$|\\\[[\s\S]+?\\\]|\\\([\s\S]+?\\\)|\$(?![\s$])[^$\n]*?[^\s\\$]\$(?!\d)|\$[^\s$\\]\$(?!\d)/g;

/** Replaces inline code and math with filler letters, so the splitter never breaks inside them. */
function maskInline(prose: string, offset: number, characters: string[]): void {
  for (const match of prose.matchAll(INLINE)) {
    const start = offset + match.index;
    for (let i = start; i < start + match[0].length; i++) characters[i] = 'x';
  }
}

// A line that starts a block of its own: a list item, a heading, a quote or a table row.
const BLOCK_START = /^[ \t]{0,3}([-*+•][ \t]|\d{1,3}[.)][ \t]|#{1,6}[ \t]|>|\|)/;
const HEADING_OR_TABLE = /^[ \t]{0,3}(#{1,6}[ \t]|\|)/;

/** Turns a line break into a space when both lines are part of the same paragraph. */
function joinWrappedLines(characters: string[], start: number, end: number): void {
  let lineStart = start;
  while (lineStart < end) {
    let lineEnd = lineStart;
    while (lineEnd < end && characters[lineEnd] !== '\n') lineEnd++;
    if (lineEnd >= end) return;
    const nextStart = lineEnd + 1;
    let nextEnd = nextStart;
    while (nextEnd < end && characters[nextEnd] !== '\n') nextEnd++;
    const line = characters.slice(lineStart, lineEnd).join('');
    const next = characters.slice(nextStart, nextEnd).join('');
    const join = line.trim() !== '' && next.trim() !== '' && !BLOCK_START.test(next) && !HEADING_OR_TABLE.test(line);
    if (join) {
      characters[lineEnd] = ' ';
      if (lineEnd > lineStart && characters[lineEnd - 1] === '\r') characters[lineEnd - 1] = ' ';
    }
    lineStart = nextStart;
  }
}

/** Index of the next "\n" at or after position, or the text length. */
function endOfLine(text: string, position: number): number {
  const index = text.indexOf('\n', position);
  return index === -1 ? text.length : index;
}

/** End offset with trailing whitespace removed. */
function trimEnd(text: string, start: number, end: number): number {
  while (end > start && /\s/.test(text[end - 1]!)) end--;
  return end;
}
