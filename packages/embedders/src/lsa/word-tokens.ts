import { lsaStopWords } from './stop-words.js';

// Runs of two or more letters or digits (Unicode-aware), like scikit-learn's default token pattern.
const wordPattern = /[\p{L}\p{N}_]{2,}/gu;

/** Lowercased word tokens of a text, stop words removed: the terms the LSA embedder counts. */
export function wordTokens(text: string): string[] {
  const tokens: string[] = [];
  for (const match of text.toLowerCase().matchAll(wordPattern)) {
    const token = match[0];
    if (!lsaStopWords.has(token)) tokens.push(token);
  }
  return tokens;
}

/** Number of whitespace-separated words in a text: the LSA embedder's token count. */
export function countWords(text: string): number {
  let count = 0;
  let inWord = false;
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    const space = code === 32 || (code >= 9 && code <= 13) || code === 0xa0 || code === 0x3000 || (code >= 0x2000 && code <= 0x200a);
    if (space) inWord = false;
    else if (!inWord) {
      inWord = true;
      count++;
    }
  }
  return count;
}
