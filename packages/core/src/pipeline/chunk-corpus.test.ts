import { describe, expect, it } from 'vitest';
import { InvalidInputError } from '../errors.js';
import type { CorpusDocument } from '../types.js';
import { chunkCorpus, type ChunkingSettings } from './chunk-corpus.js';

const settings: ChunkingSettings = { strategy: 'tokens', maxChars: 2000, windowWords: 200, overlapWords: 30, maxTokens: 10, overlap: 0.2 };
const text = Array.from({ length: 40 }, (_, i) => `word${i}`).join(' ');
const documents: CorpusDocument[] = [{ text, source: 'a.txt', stage: 'pretrain', metadata: {} }];

describe('chunkCorpus', () => {
  it('cuts token windows with the embedder\'s own token counts, as verbatim overlapping slices', () => {
    const { chunks, metadata } = chunkCorpus(documents, ['a.txt'], settings, undefined, { provider: 'test', countTokens: (value) => value.split(/\s+/).filter(Boolean).length });
    expect(chunks.length).toBeGreaterThanOrEqual(5);
    chunks.forEach((chunk, i) => {
      expect(chunk.split(' ').length).toBeLessThanOrEqual(10);
      expect(text.slice(metadata[i]!.char_start, metadata[i]!.char_end)).toBe(chunk);
      if (i > 0) expect(metadata[i]!.char_start).toBeLessThan(metadata[i - 1]!.char_end);
    });
  });

  it('says which embedder lacks a tokenizer for token windows', () => {
    expect(() => chunkCorpus(documents, ['a.txt'], settings, undefined, { provider: 'openai' })).toThrow(InvalidInputError);
    expect(() => chunkCorpus(documents, ['a.txt'], settings, undefined, { provider: 'openai' })).toThrow(/"openai" has none/);
  });
});
