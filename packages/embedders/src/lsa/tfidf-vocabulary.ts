import { wordTokens } from './word-tokens.js';

/** The terms an LSA model knows, with their smooth inverse document frequencies. */
export interface TfidfVocabulary {
  /** Terms in id order (sorted by code units). */
  terms: string[];
  /** idf[id] = ln((1 + documents) / (1 + df)) + 1, as scikit-learn's smooth idf. */
  idf: Float64Array;
  /** Term → id. */
  index: Map<string, number>;
}

/** A sparse row-major matrix (CSR): row r holds indices/data[indptr[r] .. indptr[r + 1]). */
export interface SparseRows {
  rows: number;
  columns: number;
  indptr: Int32Array;
  indices: Int32Array;
  data: Float64Array;
}

/**
 * Builds the vocabulary: terms in at least `minDocumentFrequency` documents, the `maxFeatures`
 * most frequent by document frequency (ties broken by term, so the result never depends on input order).
 */
export function fitTfidfVocabulary(values: readonly string[], options: { maxFeatures: number; minDocumentFrequency: number }): TfidfVocabulary {
  const documentFrequency = new Map<string, number>();
  for (const text of values) {
    for (const term of new Set(wordTokens(text))) documentFrequency.set(term, (documentFrequency.get(term) ?? 0) + 1);
  }
  const candidates: [string, number][] = [];
  for (const entry of documentFrequency) if (entry[1] >= options.minDocumentFrequency) candidates.push(entry);
  candidates.sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
  const kept = candidates.slice(0, options.maxFeatures).sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
  const terms = kept.map(([term]) => term);
  const idf = new Float64Array(kept.length);
  kept.forEach(([, df], id) => (idf[id] = Math.log((1 + values.length) / (1 + df)) + 1));
  return vocabularyFrom(terms, idf);
}

/** A vocabulary from its stored terms and idf values. */
export function vocabularyFrom(terms: string[], idf: Float64Array): TfidfVocabulary {
  const index = new Map<string, number>();
  terms.forEach((term, id) => index.set(term, id));
  return { terms, idf, index };
}

/** The L2-normalized TF-IDF vector of one text, as sorted term ids and weights (empty when no term is known). */
export function tfidfVector(text: string, vocabulary: TfidfVocabulary, sublinearTf: boolean): { indices: number[]; weights: number[] } {
  const counts = new Map<number, number>();
  for (const token of wordTokens(text)) {
    const id = vocabulary.index.get(token);
    if (id !== undefined) counts.set(id, (counts.get(id) ?? 0) + 1);
  }
  const indices = [...counts.keys()].sort((a, b) => a - b);
  const weights = indices.map((id) => {
    const tf = counts.get(id)!;
    return (sublinearTf ? 1 + Math.log(tf) : tf) * vocabulary.idf[id]!;
  });
  let norm = 0;
  for (const weight of weights) norm += weight * weight;
  norm = Math.sqrt(norm);
  if (norm > 0) for (let i = 0; i < weights.length; i++) weights[i]! /= norm;
  return { indices, weights };
}

/** The TF-IDF matrix of many texts (one L2-normalized row per text). */
export function tfidfRows(values: readonly string[], vocabulary: TfidfVocabulary, sublinearTf: boolean): SparseRows {
  const indptr = new Int32Array(values.length + 1);
  let indices = new Int32Array(1 << 16);
  let data = new Float64Array(1 << 16);
  let nnz = 0;
  values.forEach((text, row) => {
    const vector = tfidfVector(text, vocabulary, sublinearTf);
    if (nnz + vector.indices.length > indices.length) {
      const capacity = Math.max(indices.length * 2, nnz + vector.indices.length);
      indices = grow(indices, new Int32Array(capacity));
      data = grow(data, new Float64Array(capacity));
    }
    indices.set(vector.indices, nnz);
    data.set(vector.weights, nnz);
    nnz += vector.indices.length;
    indptr[row + 1] = nnz;
  });
  return { rows: values.length, columns: vocabulary.terms.length, indptr, indices: indices.slice(0, nnz), data: data.slice(0, nnz) };
}

function grow<T extends Int32Array | Float64Array>(from: T, to: T): T {
  to.set(from);
  return to;
}
