import type { Chunker } from './text-chunk.js';
import { describe, expect, it } from 'vitest';
import { createTokenWindowSplitter } from './create-token-window-splitter.js';

// A stand-in tokenizer: one token per started group of three characters of each word.
const countTokens = (text: string) => text.split(/\s+/).filter(Boolean).reduce((sum, word) => sum + Math.ceil(word.length / 3), 0);

describe('createTokenWindowSplitter', () => {
  it('returns nothing for blank text and one window for short text', () => {
    // Usable wherever core takes a Chunker.
    const split: Chunker = createTokenWindowSplitter({ countTokens });
    expect(split('')).toEqual([]);
    expect(split(' \n\t ')).toEqual([]);
    expect(split('  hello world  ')).toEqual([{ text: 'hello world', charStart: 2, charEnd: 13, tokens: 4 }]);
  });

  it('cuts verbatim slices within the budget, overlapping by about the given fraction', () => {
    const text = Array.from({ length: 60 }, (_, i) => `w${i}`).join(' \n ');
    const windows = createTokenWindowSplitter({ countTokens, maxTokens: 20, overlap: 0.15 })(text);
    for (const window of windows) {
      expect(window.text).toBe(text.slice(window.charStart, window.charEnd));
      expect(countTokens(window.text)).toBe(window.tokens);
      expect(window.tokens).toBeLessThanOrEqual(20);
    }
    // Every word is one token: windows of 20 words, each repeating the previous window's last 3.
    expect(windows.map((window) => window.tokens)).toEqual([20, 20, 20, 9]);
    expect(windows[1]!.text.startsWith('w17 ')).toBe(true);
    expect(windows.at(-1)!.charEnd).toBe(text.length);
  });

  it('cuts a word longer than a window inside it, without splitting surrogate pairs', () => {
    const long = 'x'.repeat(50) + '😀'.repeat(10);
    const windows = createTokenWindowSplitter({ countTokens, maxTokens: 4, overlap: 0 })(`a ${long} b`);
    expect(windows.map((window) => window.text).join('').replace(/\s/g, '')).toBe(`a${long}b`);
    for (const window of windows) {
      expect(window.tokens).toBeLessThanOrEqual(4);
      expect(window.text).not.toMatch(/^[\udc00-\udfff]|[\ud800-\udbff]$/);
    }
  });

  it('counts each distinct word once', () => {
    let calls = 0;
    const split = createTokenWindowSplitter({ countTokens: (text) => (calls++, countTokens(text)) });
    split('the cat and the dog and the cat');
    split('the cat');
    expect(calls).toBe(4);
  });

  it('rejects impossible options', () => {
    expect(() => createTokenWindowSplitter({ countTokens, maxTokens: 0 })).toThrow(RangeError);
    expect(() => createTokenWindowSplitter({ countTokens, overlap: 1 })).toThrow(RangeError);
  });
});
