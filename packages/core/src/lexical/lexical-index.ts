import { InvalidIndexError } from '../errors.js';
import { createCharLanguageModel, updateCharLanguageModel, type CharLanguageModel } from './char-language-model.js';
import { wordSpans, words } from './word-spans.js';

/** The sparse lexical side of an index: word document frequencies and a character language model of the chunks. */
export interface LexicalIndex {
  /** Chunks counted. */
  documents: number;
  /** Word → number of chunks it occurs in. */
  documentFrequency: Map<string, number>;
  languageModel: CharLanguageModel;
}

/** lexical.json: everything but the language model's tables (in lexical-lm.bin). */
export interface LexicalIndexJson {
  format: 'corpus-proximity-lexical';
  version: 1;
  tokenizer: 'unicode-letters-digits-lowercase';
  documents: number;
  language_model: { file: string; order: number; buckets: number; smoothing: 'witten-bell'; hash: 'fnv1a-avalanche' };
  /** Word → document frequency, most frequent first. */
  document_frequency: Record<string, number>;
}

/** Builds the lexical index of the chunks in one linear pass. */
export function buildLexicalIndex(chunks: readonly string[], options: { order?: number; onProgress?: (done: number, total: number) => void } = {}): LexicalIndex {
  let characters = 0;
  for (const chunk of chunks) characters += chunk.length;
  const languageModel = createCharLanguageModel(characters, options.order);
  const documentFrequency = new Map<string, number>();
  chunks.forEach((chunk, position) => {
    for (const word of new Set(words(chunk))) documentFrequency.set(word, (documentFrequency.get(word) ?? 0) + 1);
    updateCharLanguageModel(languageModel, chunk);
    if (position % 10_000 === 9_999) options.onProgress?.(position + 1, chunks.length);
  });
  return { documents: chunks.length, documentFrequency, languageModel };
}

/** The index as lexical.json plus the bytes of lexical-lm.bin. */
export function encodeLexicalIndex(lexical: LexicalIndex, modelFile: string): { json: string; model: Uint8Array } {
  const entries = [...lexical.documentFrequency.entries()].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1));
  const body: LexicalIndexJson = {
    format: 'corpus-proximity-lexical',
    version: 1,
    tokenizer: 'unicode-letters-digits-lowercase',
    documents: lexical.documents,
    language_model: { file: modelFile, order: lexical.languageModel.order, buckets: lexical.languageModel.buckets, smoothing: 'witten-bell', hash: 'fnv1a-avalanche' },
    document_frequency: Object.fromEntries(entries),
  };
  const { grams, uniques, unigram, buckets } = lexical.languageModel;
  // Little-endian uint32: [characters, distinct characters], then the grams table, then the uniques table.
  const model = new Uint8Array(8 + buckets * 8);
  const view = new Uint32Array(model.buffer);
  view.set(unigram, 0);
  view.set(grams, 2);
  view.set(uniques, 2 + buckets);
  return { json: `${JSON.stringify(body)}\n`, model };
}

/** Reads lexical.json and lexical-lm.bin back; a problem names the file. */
export function decodeLexicalIndex(json: string, model: Uint8Array, where: { directory: string; jsonFile: string; modelFile: string }): LexicalIndex {
  const fail = (file: string, message: string): never => {
    throw new InvalidIndexError(`${where.directory}/${file}: ${message}. Run \`corpus-proximity calibrate --index ${where.directory}\` to rebuild it.`, { directory: where.directory, file });
  };
  let body: LexicalIndexJson;
  try {
    body = JSON.parse(json) as LexicalIndexJson;
  } catch (cause) {
    return fail(where.jsonFile, `is not valid JSON (${(cause as Error).message})`);
  }
  if (body?.format !== 'corpus-proximity-lexical' || body.version !== 1 || typeof body.document_frequency !== 'object') fail(where.jsonFile, 'is not a lexical index of format version 1');
  const { order, buckets } = body.language_model ?? {};
  if (!Number.isInteger(order) || !Number.isInteger(buckets) || buckets < 1 || (buckets & (buckets - 1)) !== 0) fail(where.jsonFile, 'has no valid language_model section');
  if (model.byteLength !== 8 + buckets * 8) fail(where.modelFile, `is ${model.byteLength} bytes but lexical.json says 8 + ${buckets} buckets × 2 tables × 4 bytes`);
  const aligned = model.byteOffset % 4 === 0 ? model : model.slice();
  const tables = new Uint32Array(aligned.buffer, aligned.byteOffset, 2 + buckets * 2);
  return {
    documents: body.documents,
    documentFrequency: new Map(Object.entries(body.document_frequency)),
    languageModel: { order, buckets, unigram: tables.subarray(0, 2), grams: tables.subarray(2, 2 + buckets), uniques: tables.subarray(2 + buckets) },
  };
}

/** Share of the text's words that occur somewhere in the corpus (0 when it has no word); `leaveOut` discounts one chunk's words. */
export function tokenCoverage(lexical: LexicalIndex, textWords: readonly string[], leaveOut?: ReadonlySet<string>): number {
  if (textWords.length === 0) return 0;
  let known = 0;
  for (const word of textWords) if ((lexical.documentFrequency.get(word) ?? 0) - (leaveOut?.has(word) ? 1 : 0) > 0) known++;
  return known / textWords.length;
}

/** Smoothed inverse document frequency of a word (scikit-learn's smooth idf). */
export function inverseDocumentFrequency(lexical: LexicalIndex, word: string): number {
  return Math.log((lexical.documents + 1) / ((lexical.documentFrequency.get(word) ?? 0) + 1)) + 1;
}

/** Longest run of consecutive words shared verbatim (case-insensitive) by a sentence and a chunk, with offsets in both. */
export interface OverlapSpan {
  words: number;
  sentenceStart: number;
  sentenceEnd: number;
  chunkStart: number;
  chunkEnd: number;
}

/** The longest verbatim word span shared by sentence and chunk (dynamic programming over words); null when they share no word. */
export function longestOverlapSpan(sentence: string, chunk: string): OverlapSpan | null {
  const a = wordSpans(sentence);
  const b = wordSpans(chunk);
  let best = 0;
  let endA = 0;
  let endB = 0;
  let previous = new Uint32Array(b.length + 1);
  let current = new Uint32Array(b.length + 1);
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      current[j] = a[i - 1]!.word === b[j - 1]!.word ? previous[j - 1]! + 1 : 0;
      if (current[j]! > best) {
        best = current[j]!;
        endA = i;
        endB = j;
      }
    }
    [previous, current] = [current, previous];
  }
  if (best === 0) return null;
  return { words: best, sentenceStart: a[endA - best]!.start, sentenceEnd: a[endA - 1]!.end, chunkStart: b[endB - best]!.start, chunkEnd: b[endB - 1]!.end };
}
