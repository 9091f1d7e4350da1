import { describe, expect, it } from 'vitest';
import { countWords, wordTokens } from './word-tokens.js';

describe('wordTokens', () => {
  it('lowercases, drops stop words and one-character tokens', () => {
    expect(wordTokens('The Cat sat on a MAT, and I saw it.')).toEqual(['cat', 'sat', 'mat', 'saw']);
  });

  it('keeps Unicode letters and digits, splits on punctuation', () => {
    expect(wordTokens('Crème brûlée costs 12€ in Zürich; naïve-café 2024')).toEqual(['crème', 'brûlée', 'costs', '12', 'zürich', 'naïve', 'café', '2024']);
    expect(wordTokens('')).toEqual([]);
  });
});

describe('countWords', () => {
  it('counts whitespace-separated words', () => {
    expect(countWords('')).toBe(0);
    expect(countWords('   ')).toBe(0);
    expect(countWords('one')).toBe(1);
    expect(countWords('  the cat\tsat\non the\u00a0mat  ')).toBe(6);
    expect(countWords('3.14159 is π, e.g. here')).toBe(5);
  });
});
