import { describe, expect, it } from 'vitest';
import { fitTfidfVocabulary, tfidfRows, tfidfVector } from './tfidf-vocabulary.js';

const corpus = ['apple banana cherry', 'apple banana', 'apple date', 'elder fig fig fig'];

describe('fitTfidfVocabulary', () => {
  it('keeps terms with enough documents, in sorted order, with smooth idf', () => {
    const vocabulary = fitTfidfVocabulary(corpus, { maxFeatures: 100, minDocumentFrequency: 2 });
    expect(vocabulary.terms).toEqual(['apple', 'banana']);
    expect(vocabulary.idf[0]).toBeCloseTo(Math.log(5 / 4) + 1, 12);
    expect(vocabulary.idf[1]).toBeCloseTo(Math.log(5 / 3) + 1, 12);
    expect(vocabulary.index.get('banana')).toBe(1);
  });

  it('keeps the most frequent terms with ties broken by term, whatever the document order', () => {
    const vocabulary = fitTfidfVocabulary(corpus, { maxFeatures: 3, minDocumentFrequency: 1 });
    // apple (3), banana (2), then the alphabetically first of the df-1 terms.
    expect(vocabulary.terms).toEqual(['apple', 'banana', 'cherry']);
    expect(fitTfidfVocabulary([...corpus].reverse(), { maxFeatures: 3, minDocumentFrequency: 1 }).terms).toEqual(vocabulary.terms);
  });
});

describe('tfidfVector and tfidfRows', () => {
  const vocabulary = fitTfidfVocabulary(corpus, { maxFeatures: 100, minDocumentFrequency: 1 });

  it('weights sublinear term frequency by idf and normalizes', () => {
    const { indices, weights } = tfidfVector('fig fig fig elder unknown', vocabulary, true);
    expect(indices.map((id) => vocabulary.terms[id])).toEqual(['elder', 'fig']);
    const idf = Math.log(5 / 2) + 1;
    const raw = [idf, (1 + Math.log(3)) * idf];
    const norm = Math.hypot(...raw);
    expect(weights[0]).toBeCloseTo(raw[0]! / norm, 12);
    expect(weights[1]).toBeCloseTo(raw[1]! / norm, 12);
    const linear = tfidfVector('fig fig fig elder', vocabulary, false);
    expect(linear.weights[1]! / linear.weights[0]!).toBeCloseTo(3, 12);
  });

  it('gives an empty vector for a text without known terms', () => {
    expect(tfidfVector('nothing known here', vocabulary, true)).toEqual({ indices: [], weights: [] });
  });

  it('builds one CSR row per text', () => {
    const rows = tfidfRows(['apple apple', 'zzz', 'fig date'], vocabulary, true);
    expect(rows.rows).toBe(3);
    expect(rows.columns).toBe(vocabulary.terms.length);
    expect(Array.from(rows.indptr)).toEqual([0, 1, 1, 3]);
    expect(rows.data[0]).toBeCloseTo(1, 12);
    expect(Array.from(rows.indices.slice(1)).map((id) => vocabulary.terms[id])).toEqual(['date', 'fig']);
  });
});
