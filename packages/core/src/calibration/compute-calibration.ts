import type { SearchHit } from '../index-format/corpus-index.js';
import { createRandom } from '../random.js';
import { updateCharLanguageModel } from '../lexical/char-language-model.js';
import type { LexicalIndex } from '../lexical/lexical-index.js';
import { words } from '../lexical/word-spans.js';
import type { EmbedderV1, } from '../specs.js';
import { calibrationFromSamples, type Calibration } from './calibration.js';
import { LEXICAL_CANDIDATES, measureEvidence, type ChunkTermCache, type EvidenceFeatures } from './measure-evidence.js';

/** Held-out samples by default. */
export const CALIBRATION_SAMPLES = 500;
/** Fewer chunks than this and there is no calibration (the index says why). */
export const MIN_CALIBRATION_CHUNKS = 50;

/** What computeCalibration needs of an index. */
export interface CalibrationInput {
  chunks: readonly string[];
  /** Row-major N × dimension, L2-normalized (used for chunk-to-chunk calibration). */
  embeddings: Float32Array;
  dimension: number;
  lexical: LexicalIndex;
  /** Nearest chunks to many queries, nearest first (the index's searchMany). */
  searchMany(queries: readonly Float32Array[], k: number): SearchHit[][];
}

/** Options of computeCalibration. */
export interface ComputeCalibrationOptions {
  /** Embeds held-out sentences as queries; without one, whole chunks are scored with their stored vectors (chunk-to-chunk). */
  embedder?: EmbedderV1;
  seed?: number;
  samples?: number;
  /**
   * Cuts a chunk into sentences as annotate will cut outputs (the CLI passes annotate's
   * splitSentences), so held-out sentences look like what gets annotated. Default: a plain
   * punctuation rule, keeping sentences of at least three words.
   */
  splitSentences?: (text: string) => string[];
  onProgress?: (done: number, total: number) => void;
  abortSignal?: AbortSignal;
}

/** The calibration, or why there is none. */
export type CalibrationResult = { calibration: Calibration; reason?: undefined } | { calibration?: undefined; reason: string };

/**
 * Scores a seeded sample of the corpus's own text against the index with its own chunk left out
 * (out of the dense search, the word coverage and the language model), and keeps the score
 * distribution. With an embedder, one sentence cut from each sampled chunk is embedded as a query;
 * without, the chunk itself is scored with its stored vector.
 */
export async function computeCalibration(input: CalibrationInput, options: ComputeCalibrationOptions = {}): Promise<CalibrationResult> {
  const count = input.chunks.length;
  if (count < MIN_CALIBRATION_CHUNKS) {
    return { reason: `the corpus has ${count} chunks; calibration needs at least ${MIN_CALIBRATION_CHUNKS} (annotations use the raw distance bands)` };
  }
  const seed = options.seed ?? 42;
  const random = createRandom((seed ^ 0x5bd1e995) >>> 0);
  const picked = sampleIndices(count, Math.min(options.samples ?? CALIBRATION_SAMPLES, count), random);
  const method = options.embedder ? 'held-out-sentences' : 'chunk-to-chunk';
  const texts = picked.map((idx) => (options.embedder ? cutSentence(input.chunks[idx]!, random, options.splitSentences) : input.chunks[idx]!));
  const vectors: Float32Array[] = [];
  if (options.embedder) {
    const batch = options.embedder.maxEmbeddingsPerCall ?? 64;
    for (let start = 0; start < texts.length; start += batch) {
      const { embeddings } = await options.embedder.doEmbed({ values: texts.slice(start, start + batch), inputType: 'query', abortSignal: options.abortSignal });
      vectors.push(...embeddings);
    }
  } else {
    for (const idx of picked) vectors.push(input.embeddings.subarray(idx * input.dimension, (idx + 1) * input.dimension));
  }
  const take = Math.min(count, LEXICAL_CANDIDATES + 1);
  const cache: ChunkTermCache = new Map();
  const samples: EvidenceFeatures[] = [];
  const block = 64;
  for (let start = 0; start < picked.length; start += block) {
    const hits = input.searchMany(vectors.slice(start, start + block), take);
    for (let offset = 0; offset < hits.length; offset++) {
      const idx = picked[start + offset]!;
      const chunk = input.chunks[idx]!;
      // Leave the sample's own chunk out of everything it is scored against.
      updateCharLanguageModel(input.lexical.languageModel, chunk, -1);
      try {
        const others = hits[offset]!.filter((hit) => hit.idx !== idx).slice(0, LEXICAL_CANDIDATES);
        samples.push(measureEvidence(input.lexical, input.chunks, texts[start + offset]!, others, cache, new Set(words(chunk))));
      } finally {
        updateCharLanguageModel(input.lexical.languageModel, chunk, 1);
      }
    }
    options.onProgress?.(Math.min(start + block, picked.length), picked.length);
  }
  const sentences = !options.embedder ? 'whole-chunks' : options.splitSentences ? 'annotate-splitter' : 'punctuation';
  const calibration = calibrationFromSamples(samples, { method, seed, lexicalCandidates: LEXICAL_CANDIDATES, sentences });
  if (calibration.samples < MIN_CALIBRATION_CHUNKS) {
    return { reason: `only ${calibration.samples} held-out samples had a word the rest of the corpus knows; calibration needs ${MIN_CALIBRATION_CHUNKS}` };
  }
  return { calibration };
}

/** `size` distinct indices below `count`, seeded, ascending. */
function sampleIndices(count: number, size: number, random: () => number): number[] {
  const order = Uint32Array.from({ length: count }, (_, i) => i);
  for (let i = 0; i < size; i++) {
    const j = i + Math.floor(random() * (count - i));
    [order[i], order[j]] = [order[j]!, order[i]!];
  }
  return Array.from(order.subarray(0, size)).sort((a, b) => a - b);
}

// Sentence ends: . ! ? followed by space and a capital, quote or bracket; line breaks between paragraphs.
const SENTENCE_BREAK = /(?<=[.!?]["”’')\]]?)\s+(?=["“‘'([]?[\p{Lu}\p{N}])|\n\s*\n/u;

/** One seeded sentence of a chunk: from `split` (any with a word), else by punctuation with at least three words; the whole chunk when none. */
function cutSentence(chunk: string, random: () => number, split?: (text: string) => string[]): string {
  const sentences = split
    ? split(chunk).filter((part) => words(part).length > 0)
    : chunk
        .split(SENTENCE_BREAK)
        .map((part) => part.trim())
        .filter((part) => words(part).length >= 3);
  if (sentences.length === 0) return chunk.trim();
  return sentences[Math.floor(random() * sentences.length)]!;
}
