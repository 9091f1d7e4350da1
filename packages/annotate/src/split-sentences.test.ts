import { describe, expect, it } from 'vitest';
import { splitSentences } from './split-sentences.js';

/** The sentence texts, after checking every span's offsets against the original. */
function sentences(text: string): string[] {
  const spans = splitSentences(text);
  let previousEnd = 0;
  for (const span of spans) {
    expect(text.slice(span.start, span.end)).toBe(span.text);
    expect(span.text).toBe(span.text.trim());
    expect(span.text.length).toBeGreaterThan(0);
    expect(span.start).toBeGreaterThanOrEqual(previousEnd);
    previousEnd = span.end;
  }
  return spans.map((span) => span.text);
}

describe('splitSentences', () => {
  it('returns no sentences for empty or whitespace text', () => {
    expect(splitSentences('')).toEqual([]);
    expect(splitSentences('  \n\t \n')).toEqual([]);
  });

  it('splits plain prose and keeps offsets into the original text', () => {
    const text = '  The derivative of x^2 is 2x. This follows from the power rule.  ';
    const spans = splitSentences(text);
    expect(spans).toEqual([
      { text: 'The derivative of x^2 is 2x.', start: 2, end: 30 },
      { text: 'This follows from the power rule.', start: 31, end: 64 },
    ]);
  });

  it('keeps what compromise already gets right', () => {
    expect(sentences('Dr. Smith lives in the U.S. today. The value is 3.14, e.g. pi. Visit https://example.com/a.b now.')).toEqual([
      'Dr. Smith lives in the U.S. today.',
      'The value is 3.14, e.g. pi.',
      'Visit https://example.com/a.b now.',
    ]);
  });

  it('keeps a fenced code block as one span', () => {
    const code = '```python\nx = 1. \nprint(x)\n\ny = 2\n```';
    const text = `Here is code:\n\n${code}\n\nDone here. It ran.`;
    expect(sentences(text)).toEqual(['Here is code:', code, 'Done here.', 'It ran.']);
  });

  it('keeps a fenced code block one span even without blank lines around it, and an unclosed one to the end', () => {
    const text = 'Run this:\n~~~\na. b. c.\n~~~\nThen stop.';
    expect(sentences(text)).toEqual(['Run this:', '~~~\na. b. c.\n~~~', 'Then stop.']);
    expect(sentences('Start. \n```js\nlet a = 1; let b = 2.\nfoo();')).toEqual(['Start.', '```js\nlet a = 1; let b = 2.\nfoo();']);
  });

  it('does not break inside inline math or inline code', () => {
    expect(sentences('We have $x = 1. y = 2$ here. Then \\[a. B = c\\] holds. Use `os.path. Join` now.')).toEqual([
      'We have $x = 1. y = 2$ here.',
      'Then \\[a. B = c\\] holds.',
      'Use `os.path. Join` now.',
    ]);
    expect(sentences('The formula is\n$$\nE = mc^2. F = ma\n$$\nwhere E is energy. Next.')).toEqual([
      'The formula is\n$$\nE = mc^2. F = ma\n$$\nwhere E is energy.',
      'Next.',
    ]);
  });

  it('does not take dollar amounts for math', () => {
    expect(sentences('It costs $5. Then it costs $10.')).toEqual(['It costs $5.', 'Then it costs $10.']);
  });

  it('joins hard-wrapped lines of a paragraph but breaks at blank lines, list items and headings', () => {
    const text = 'This is a sentence that\nwraps onto two lines. Short one.\n\nNew paragraph\n\n# Heading\nBody text.\nA list:\n- item one\n- item two\n  continues';
    expect(sentences(text)).toEqual([
      'This is a sentence that\nwraps onto two lines.',
      'Short one.',
      'New paragraph',
      '# Heading',
      'Body text.',
      'A list:',
      '- item one',
      '- item two\n  continues',
    ]);
  });

  it('does not split after Eq., Fig., Sec. and friends followed by a number', () => {
    expect(sentences('See Eq. 2 for details. Fig. 3 shows it. As in Sec. 4.1 and Ref. [3], see Eqs. (2) and (3). Tab. 1 too.')).toEqual([
      'See Eq. 2 for details.',
      'Fig. 3 shows it.',
      'As in Sec. 4.1 and Ref. [3], see Eqs. (2) and (3).',
      'Tab. 1 too.',
    ]);
  });

  it('does not split after vs. or cf., whatever follows', () => {
    expect(sentences('Python vs. Java is a debate. Compare cf. Smith here. Done.')).toEqual([
      'Python vs. Java is a debate.',
      'Compare cf. Smith here.',
      'Done.',
    ]);
  });

  it('keeps table rows and list items apart even where compromise would join them', () => {
    expect(sentences('The result is:\n\n| a | b |\n|---|---|\n| 1 | 2 |\n\nThat is the table.\n- x\n- ...')).toEqual([
      'The result is:',
      '| a | b |',
      '|---|---|',
      '| 1 | 2 |',
      'That is the table.',
      '- x',
      '- ...',
    ]);
  });

  it('splits after a quoted question or statement followed by a capital', () => {
    expect(sentences('"Why?" Nobody knew. He said "Stop." Then he left. "Why?" he asked.')).toEqual([
      '"Why?"',
      'Nobody knew.',
      'He said "Stop."',
      'Then he left.',
      '"Why?" he asked.',
    ]);
  });

  it('handles Windows line endings', () => {
    expect(sentences('One line\r\nwrapped here.\r\n\r\nSecond paragraph.')).toEqual(['One line\r\nwrapped here.', 'Second paragraph.']);
  });

  it('loses no non-space character on messy input', () => {
    const text = '- a\n* b\n1. c\n> quote. Here\n| t | u |\n|---|---|\n### H\n...\n?! "  “x” ' + '$ a $ b $ `c` \\( d';
    const spans = splitSentences(text);
    const covered = new Set<number>();
    for (const span of spans) for (let i = span.start; i < span.end; i++) covered.add(i);
    for (let i = 0; i < text.length; i++) if (text[i]!.trim() !== '') expect(covered.has(i), `character ${i} ${text[i]}`).toBe(true);
  });

  it('keeps its invariants on seeded random text built from tricky fragments', () => {
    const fragments = ['word', 'Other', ' ', '. ', '? ', '! ', '\n', '\n\n', '```', '~~~', '$', '$$', '`', '\\[', '\\]', 'Eq. ', '3', '"', '” ', '- ', '# ', '| ', '\r\n', '...', 'U.S. ', '\t'];
    let state = 12345;
    const random = () => ((state = (Math.imul(state, 1103515245) + 12345) >>> 0) / 2 ** 32);
    for (let round = 0; round < 300; round++) {
      let text = '';
      const length = 1 + Math.floor(random() * 40);
      for (let i = 0; i < length; i++) text += fragments[Math.floor(random() * fragments.length)];
      const covered = new Set<number>();
      for (const span of splitSentences(text)) for (let i = span.start; i < span.end; i++) covered.add(i);
      sentences(text);
      for (let i = 0; i < text.length; i++) if (text[i]!.trim() !== '') expect(covered.has(i), JSON.stringify(text)).toBe(true);
    }
  });
});
