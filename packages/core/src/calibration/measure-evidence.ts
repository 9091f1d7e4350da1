import type { SearchHit } from '../index-format/corpus-index.js';
import { charLanguageModelScore } from '../lexical/char-language-model.js';
import { inverseDocumentFrequency, tokenCoverage, type LexicalIndex } from '../lexical/lexical-index.js';
import { words } from '../lexical/word-spans.js';

/** Dense candidates whose words are compared with a sentence's (the first ones of the dense search). */
export const LEXICAL_CANDIDATES = 50;

/** What the corpus says about one sentence, before calibration. */
export interface EvidenceFeatures {
  /** Words in the sentence. */
  words: number;
  /** Share of its words that occur in the corpus. */
  tokenCoverage: number;
  /** Mean log probability per character under the corpus's character language model. */
  languageModel: number;
  /** Best TF-IDF cosine (words, 0..1) between the sentence and one of its dense candidates. */
  lexicalScore: number;
  /** The candidate chunk that gave lexicalScore (−1 when none). */
  lexicalChunk: number;
  /** Cosine similarity to the nearest chunk of the dense search (1 − distance). */
  similarity: number;
  /** No word of the sentence occurs in the corpus (or it has no words): nothing to stand on. */
  noEvidence: boolean;
  /** Word TF-IDF cosine of each compared candidate chunk (by chunk idx), for hybrid ranking. */
  lexicalByChunk?: Map<number, number>;
}

/** Per-index cache of chunk word weights, so repeated candidates are tokenized once. */
export type ChunkTermCache = Map<number, { weights: Map<string, number>; norm: number }>;

/**
 * Measures one sentence against the corpus: coverage and language model from the lexical index,
 * the lexical score over its dense candidates `hits` (nearest first; the caller leaves out whatever
 * must be left out), and the dense similarity of the first hit. `leaveOutWords` discounts one chunk's words from coverage.
 */
export function measureEvidence(
  lexical: LexicalIndex,
  chunks: readonly string[],
  sentence: string,
  hits: readonly SearchHit[],
  cache: ChunkTermCache,
  leaveOutWords?: ReadonlySet<string>,
): EvidenceFeatures {
  const sentenceWords = words(sentence);
  const coverage = tokenCoverage(lexical, sentenceWords, leaveOutWords);
  const noEvidence = coverage === 0;
  const query = weigh(lexical, sentenceWords);
  let lexicalScore = 0;
  let lexicalChunk = -1;
  const lexicalByChunk = new Map<number, number>();
  if (!noEvidence && query.norm > 0) {
    for (const hit of hits.slice(0, LEXICAL_CANDIDATES)) {
      let terms = cache.get(hit.idx);
      if (!terms) {
        terms = weigh(lexical, words(chunks[hit.idx] ?? ''));
        cache.set(hit.idx, terms);
      }
      if (terms.norm === 0) continue;
      let dot = 0;
      for (const [word, weight] of query.weights) dot += weight * (terms.weights.get(word) ?? 0);
      const cosine = dot / (query.norm * terms.norm);
      lexicalByChunk.set(hit.idx, cosine);
      if (cosine > lexicalScore) {
        lexicalScore = cosine;
        lexicalChunk = hit.idx;
      }
    }
  }
  return {
    words: sentenceWords.length,
    tokenCoverage: coverage,
    languageModel: sentenceWords.length === 0 ? -Infinity : charLanguageModelScore(lexical.languageModel, sentence),
    lexicalScore,
    lexicalChunk,
    similarity: hits.length > 0 ? 1 - hits[0]!.distance : 0,
    noEvidence,
    lexicalByChunk,
  };
}

/** Sublinear tf × smooth idf weights of a word list, and their L2 norm. */
function weigh(lexical: LexicalIndex, list: readonly string[]): { weights: Map<string, number>; norm: number } {
  const counts = new Map<string, number>();
  for (const word of list) counts.set(word, (counts.get(word) ?? 0) + 1);
  const weights = new Map<string, number>();
  let norm = 0;
  for (const [word, count] of counts) {
    const weight = (1 + Math.log(count)) * inverseDocumentFrequency(lexical, word);
    weights.set(word, weight);
    norm += weight * weight;
  }
  return { weights, norm: Math.sqrt(norm) };
}
