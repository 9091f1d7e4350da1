import { describe, expect, it } from 'vitest';
import { charLanguageModelScore, updateCharLanguageModel } from './char-language-model.js';
import { buildLexicalIndex, decodeLexicalIndex, encodeLexicalIndex, longestOverlapSpan, tokenCoverage } from './lexical-index.js';
import { words } from './word-spans.js';

const chunks = [
  'The heron waded through the shallow marsh looking for fish.',
  'A heron is a long-legged wading bird of marshes and rivers.',
  'The court heard the appeal and the judge read the verdict.',
  'Bread dough rises when yeast ferments the sugar in the flour.',
];

describe('lexical index', () => {
  it('counts word document frequencies and covers known words only', () => {
    const lexical = buildLexicalIndex(chunks);
    expect(lexical.documents).toBe(4);
    expect(lexical.documentFrequency.get('heron')).toBe(2);
    expect(lexical.documentFrequency.get('the')).toBe(3);
    expect(tokenCoverage(lexical, words('The heron read bread'))).toBe(1);
    expect(tokenCoverage(lexical, words('The heron read quasars'))).toBe(0.75);
    expect(tokenCoverage(lexical, words('zzqx vvkw'))).toBe(0);
    expect(tokenCoverage(lexical, words('!!! ???'))).toBe(0);
    // Leaving chunk 3 out forgets the words only it has.
    expect(tokenCoverage(lexical, words('yeast ferments'), new Set(words(chunks[3]!)))).toBe(0);
  });

  it('scores corpus-like text above gibberish, and leaving a chunk out then back in restores the model exactly', () => {
    const lexical = buildLexicalIndex(chunks);
    const model = lexical.languageModel;
    const like = charLanguageModelScore(model, 'The heron waded in the marsh.');
    const gibberish = charLanguageModelScore(model, 'qzx vvkj wpqf zzkt.');
    expect(like).toBeGreaterThan(gibberish + 1);
    const before = [model.grams.slice(), model.uniques.slice(), model.unigram.slice()];
    updateCharLanguageModel(model, chunks[0]!, -1);
    const heldOut = charLanguageModelScore(model, chunks[0]!);
    expect(heldOut).toBeLessThan(charLanguageModelScore(buildLexicalIndex(chunks).languageModel, chunks[0]!));
    updateCharLanguageModel(model, chunks[0]!, 1);
    expect([model.grams, model.uniques, model.unigram]).toEqual(before);
  });

  it('survives encoding and decoding, and a wrong-sized model file is named', () => {
    const lexical = buildLexicalIndex(chunks);
    const { json, model } = encodeLexicalIndex(lexical, 'lexical-lm.bin');
    const where = { directory: '/idx', jsonFile: 'lexical.json', modelFile: 'lexical-lm.bin' };
    const back = decodeLexicalIndex(json, model, where);
    expect(back.documentFrequency).toEqual(lexical.documentFrequency);
    expect(charLanguageModelScore(back.languageModel, 'the heron')).toBe(charLanguageModelScore(lexical.languageModel, 'the heron'));
    expect(() => decodeLexicalIndex(json, model.subarray(0, 100), where)).toThrow(/lexical-lm\.bin/);
  });

  it('finds the longest verbatim word span with offsets in both texts', () => {
    const sentence = 'Everyone knows a heron is a long-legged wading bird, right?';
    const chunk = chunks[1]!;
    const span = longestOverlapSpan(sentence, chunk)!;
    // "a heron is a long legged wading bird": 8 words ("long-legged" is two).
    expect(span.words).toBe(8);
    expect(sentence.slice(span.sentenceStart, span.sentenceEnd)).toBe('a heron is a long-legged wading bird');
    expect(chunk.slice(span.chunkStart, span.chunkEnd)).toBe('A heron is a long-legged wading bird');
    expect(longestOverlapSpan('zzqx vvkw', chunk)).toBeNull();
  });
});
