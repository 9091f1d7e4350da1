import { describe, expect, it } from 'vitest';
import { chunkDocuments } from './chunk-documents.js';
import { chunkParagraphs } from './chunk-paragraphs.js';
import { chunkWordWindows } from './chunk-word-windows.js';
import { InvalidInputError } from '../errors.js';
import { createRandom } from '../random.js';
import type { TextChunk } from './text-chunk.js';
import type { CorpusDocument } from '../types.js';

function expectFaithful(text: string, chunks: TextChunk[]): void {
  let previous = -1;
  for (const chunk of chunks) {
    expect(text.slice(chunk.charStart, chunk.charEnd)).toBe(chunk.text);
    expect(chunk.charStart).toBeGreaterThan(previous);
    previous = chunk.charStart;
  }
}

// Seeded pseudo-text: words, sentence ends, paragraph breaks, CRLF and emoji.
function randomText(seed: number, words: number): string {
  const random = createRandom(seed);
  const vocabulary = ['the', 'corpus', 'model', 'é', 'naïve', '😀', 'x'.repeat(40), 'data.', 'done!', 'why?'];
  let text = '';
  for (let i = 0; i < words; i++) {
    text += vocabulary[Math.floor(random() * vocabulary.length)];
    const r = random();
    text += r < 0.03 ? '\n\n' : r < 0.05 ? '\r\n \r\n' : r < 0.08 ? '\n' : ' ';
  }
  return text;
}

describe('chunkParagraphs', () => {
  it('splits at blank lines and trims, with offsets into the original', () => {
    const text = '  First para\nstill first.\n\n\n  Second.  \n \t\nThird';
    const chunks = chunkParagraphs(text);
    expect(chunks.map((c) => c.text)).toEqual(['First para\nstill first.', 'Second.', 'Third']);
    expectFaithful(text, chunks);
    expect(chunkParagraphs(' \n\n ')).toEqual([]);
  });

  it('cuts long paragraphs at sentence ends, then words, then anywhere, within maxChars', () => {
    const sentences = 'One two three. Four five six seven. Eight nine ten eleven twelve.';
    const bySentence = chunkParagraphs(sentences, { maxChars: 40 });
    expect(bySentence.map((c) => c.text)).toEqual(['One two three. Four five six seven.', 'Eight nine ten eleven twelve.']);
    const words = 'alpha beta gamma delta epsilon zeta eta theta';
    expect(chunkParagraphs(words, { maxChars: 12 }).map((c) => c.text)).toEqual(['alpha beta', 'gamma delta', 'epsilon zeta', 'eta theta']);
    const emoji = '😀'.repeat(5);
    const hard = chunkParagraphs(emoji, { maxChars: 3 });
    expect(hard.map((c) => c.text).join('')).toBe(emoji);
    for (const chunk of hard) expect(chunk.text.length).toBeLessThanOrEqual(3);
    expect(hard.every((c) => !/[\uD800-\uDBFF]$/.test(c.text))).toBe(true);
  });

  it('joins short paragraphs up to maxChars with minChars', () => {
    const text = '# A\n\nbody of a\n\n# B\n\nbody of b that is longer';
    const chunks = chunkParagraphs(text, { minChars: 10, maxChars: 30 });
    expect(chunks.map((c) => c.text)).toEqual(['# A\n\nbody of a', '# B\n\nbody of b that is longer']);
    expectFaithful(text, chunks);
  });

  it('stays faithful and within bounds on seeded random texts', () => {
    for (const seed of [1, 2, 3]) {
      const text = randomText(seed, 3000);
      const chunks = chunkParagraphs(text, { maxChars: 200, minChars: 20 });
      expectFaithful(text, chunks);
      for (const chunk of chunks) expect(chunk.text.length).toBeLessThanOrEqual(200);
      // Nothing but whitespace is lost.
      expect(chunks.map((c) => c.text).join('').replace(/\s+/g, '')).toBe(text.replace(/\s+/g, ''));
    }
  });

  it('rejects bad options', () => {
    expect(() => chunkParagraphs('x', { maxChars: 0 })).toThrow(InvalidInputError);
    expect(() => chunkParagraphs('x', { maxChars: 10, minChars: 20 })).toThrow('minChars (20) is larger than maxChars (10)');
  });
});

describe('chunkWordWindows', () => {
  it('makes overlapping word windows with offsets into the original', () => {
    const text = ' a  b\nc d e f g ';
    const chunks = chunkWordWindows(text, { windowWords: 3, overlapWords: 1 });
    expect(chunks.map((c) => c.text)).toEqual(['a  b\nc', 'c d e', 'e f g']);
    expectFaithful(text, chunks);
    expect(chunkWordWindows('a b', { windowWords: 3, overlapWords: 1 }).map((c) => c.text)).toEqual(['a b']);
    expect(chunkWordWindows('   ')).toEqual([]);
  });

  it('covers every word of a seeded text with the default 200/30 windows', () => {
    const text = randomText(7, 1000);
    const chunks = chunkWordWindows(text);
    expectFaithful(text, chunks);
    const words = text.split(/\s+/).filter(Boolean).length;
    expect(chunks.length).toBe(Math.ceil((words - 200) / 170) + 1);
    expect(chunks.at(-1)!.charEnd).toBe(text.trimEnd().length);
    for (const chunk of chunks.slice(0, -1)) expect(chunk.text.split(/\s+/).length).toBe(200);
  });

  it('rejects an overlap as large as the window', () => {
    expect(() => chunkWordWindows('a', { windowWords: 5, overlapWords: 5 })).toThrow(/overlapWords must be an integer from 0 to windowWords − 1 \(4\)/);
  });
});

describe('chunkDocuments', () => {
  it('builds chunk metadata with shard ids, chunk ids, stage, line, offsets and document fields', () => {
    const documents: CorpusDocument[] = [
      { text: 'a\n\nb', source: 'one.txt', stage: 'pretrain', metadata: {} },
      { text: 'c', source: 'two.jsonl', line: 3, stage: 'sft', metadata: { id: 9, source: 'web', doc_source: 'x' } },
    ];
    const { chunks, metadata } = chunkDocuments(documents, (text) => chunkParagraphs(text), { sources: ['zero.txt', 'one.txt', 'two.jsonl'] });
    expect(chunks).toEqual(['a', 'b', 'c']);
    expect(metadata).toEqual([
      { source: 'one.txt', shard_id: 1, chunk_id: 0, corpus_stage: 'pretrain', char_start: 0, char_end: 1 },
      { source: 'one.txt', shard_id: 1, chunk_id: 1, corpus_stage: 'pretrain', char_start: 3, char_end: 4 },
      { source: 'two.jsonl', shard_id: 2, chunk_id: 0, corpus_stage: 'sft', line: 3, char_start: 0, char_end: 1, id: 9, doc_source: 'web', doc_doc_source: 'x' },
    ]);
    // Without a source list, shard ids follow first appearance.
    expect(chunkDocuments(documents, (text) => chunkParagraphs(text)).metadata.map((m) => m.shard_id)).toEqual([0, 0, 1]);
  });
});
