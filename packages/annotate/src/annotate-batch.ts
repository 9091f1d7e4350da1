import { AbortedError, type SearchHit, InvalidInputError, PluginError, type AnnotatedOutput, type Annotation, type CorpusIndex, type EmbedderV1, type ProgressListener } from '@corpus-proximity/core';
import { confidenceFromInDistribution, LEXICAL_CANDIDATES } from '@corpus-proximity/core/internal';
import { assertEmbedderMatchesIndex } from './assert-embedder-matches-index.js';
import { lookupCluster } from './cluster-lookup.js';
import { judgeSentence, overlapWithChunk, rawConfidence, RAW_DISTANCE_BANDS, type SentenceVerdict } from './annotation-evidence.js';
import type { DistanceBands } from './format-chess.js';
import { nearestClusters } from './nearest-clusters.js';
import { spanKind, type SpanKind } from './span-kind.js';
import { splitSentences, type SentenceSpan } from './split-sentences.js';

/** Options shared by annotateText and annotateBatch. */
export interface AnnotateOptions {
  /** Nearest distinct clusters per sentence (default 3). */
  k?: number;
  /** Annotate each sentence (default) or the whole text as one span. */
  phraseLevel?: boolean;
  /** Chunks searched per sentence before picking distinct clusters (default max(50, 20·k)). */
  candidates?: number;
  /** Judge by raw cosine distance with these bands instead of the index's calibration (an explicit override). */
  bands?: DistanceBands;
  abortSignal?: AbortSignal;
}

/** Options of annotateBatch. */
export interface AnnotateBatchOptions extends AnnotateOptions {
  /** Receives { stage: 'embed', done, total } after each embedding call (counts are sentences), then { stage: 'annotate', done, total } after each output. */
  onProgress?: ProgressListener;
  /** Sentences per embedding call (default and maximum: the embedder's maxEmbeddingsPerCall, else 64). */
  batchSize?: number;
}

/** A model output to annotate: its text, or its text and the prompt that produced it. */
export type AnnotateItem = string | { text: string; prompt?: string | null };

/** Weight of the word TF-IDF cosine beside the cosine similarity in the hybrid ranking. */
const HYBRID_LEXICAL_WEIGHT = 2;

/** Characters of the nearest chunk kept in an annotation. */
const CHUNK_PREVIEW = 200;

/** Sentences searched per index.searchMany call: large enough to share passes, small enough for progress (an exact block at 1M × 384 takes ≈ 2 min). */
const SEARCH_BLOCK = 256;

/**
 * The first-round nearest chunks of every sentence: one index pass per block of sentences
 * (instead of one per sentence), with a progress event and an abort check after each block.
 */
async function searchInBlocks(index: CorpusIndex, vectors: Float32Array[], take: number, options: AnnotateBatchOptions): Promise<SearchHit[][]> {
  const hits: SearchHit[][] = [];
  for (let start = 0; start < vectors.length; start += SEARCH_BLOCK) {
    if (options.abortSignal?.aborted) throw new AbortedError('annotation aborted while searching the index');
    hits.push(...index.searchMany(vectors.slice(start, start + SEARCH_BLOCK), take));
    options.onProgress?.({ stage: 'search', done: hits.length, total: vectors.length, message: `searching the index (${index.searchMode ?? 'exact'})` });
    // Let timers (progress redraws, Ctrl-C) run between blocks.
    if (hits.length < vectors.length) await new Promise((resolve) => setImmediate(resolve));
  }
  return hits;
}

/**
 * Annotates many model outputs: splits each into sentences, embeds all sentences of all
 * outputs together in batches (as queries), and links each sentence to its k nearest
 * distinct corpus clusters.
 */
export async function annotateBatch(
  index: CorpusIndex,
  embedder: EmbedderV1,
  items: AnnotateItem[],
  options: AnnotateBatchOptions = {},
): Promise<AnnotatedOutput[]> {
  assertEmbedderMatchesIndex(index, embedder);
  const k = positiveInteger(options.k ?? 3, 'k');
  const candidates = positiveInteger(options.candidates ?? Math.max(50, 20 * k), 'candidates');
  const phraseLevel = options.phraseLevel ?? true;
  const limit = embedder.maxEmbeddingsPerCall ?? 64;
  const batchSize = Math.min(positiveInteger(options.batchSize ?? limit, 'batchSize'), limit);

  const inputs = items.map((item, position) => normalizeItem(item, position));
  const spans = inputs.map(({ text }) => (phraseLevel ? splitSentences(text) : wholeText(text)));

  // Each distinct prose sentence is embedded once, however often it occurs; code and math spans are not matched.
  const kinds = new Map<string, SpanKind>();
  const slots = new Map<string, number>();
  for (const list of spans) {
    for (const span of list) {
      if (kinds.has(span.text)) continue;
      const kind = spanKind(span.text);
      kinds.set(span.text, kind);
      if (kind === 'prose') slots.set(span.text, slots.size);
    }
  }
  const vectors = await embedAll(embedder, [...slots.keys()], batchSize, options);

  const firstHits = await searchInBlocks(index, vectors, Math.min(index.count, Math.max(candidates, k)), options);
  const verdicts = new Map<number, SentenceVerdict>();
  const embedderId = `${embedder.provider}:${embedder.modelId}`;
  const calibration = options.bands || !index.calibration ? 'raw-distance-bands' : index.calibration.method;
  return inputs.map(({ text, prompt }, position) => {
    if (options.abortSignal?.aborted) throw new AbortedError('annotation aborted while searching the index');
    const annotations: Annotation[] = [];
    spans[position]!.forEach((span, sentenceIndex) => {
      const kind = kinds.get(span.text)!;
      const slot = slots.get(span.text);
      let verdict = slot === undefined ? undefined : verdicts.get(slot);
      if (slot !== undefined && !verdict) {
        verdict = judgeSentence(index, span.text, vectors[slot]!, firstHits[slot]!, options.bands);
        verdicts.set(slot, verdict);
      }
      const evidence = {
        spanKind: kind,
        tokenCoverage: verdict?.features?.tokenCoverage ?? 0,
        lexicalScore: verdict?.features?.lexicalScore ?? 0,
      };
      if (slot === undefined || !verdict || verdict.noEvidence) {
        annotations.push({
          ...noCluster(span, sentenceIndex),
          ...evidence,
          noEvidence: true,
          inDistribution: kind === 'prose' ? (verdict?.inDistribution ?? null) : null,
          confidence: verdict?.confidence ?? 'NO_EVIDENCE',
          overlapSpan: null,
        });
        return;
      }
      const ranked = hybridOrder(firstHits[slot]!, verdict.features?.lexicalByChunk);
      nearestClusters(index, vectors[slot]!, k, candidates, ranked).forEach((hit, rank) => {
        const { node, path } = lookupCluster(index, hit.clusterId);
        annotations.push({
          textSpan: span.text,
          charStart: span.start,
          charEnd: span.end,
          sentenceIndex,
          clusterId: node.cluster_id,
          clusterName: node.name,
          clusterDepth: node.depth,
          clusterPath: path,
          distance: hit.distance,
          rank: rank + 1,
          corpusStage: index.metadata[hit.chunkIdx]?.corpus_stage ?? null,
          nearestChunkIdx: hit.chunkIdx,
          nearestChunkText: (index.chunks[hit.chunkIdx] ?? '').slice(0, CHUNK_PREVIEW),
          isNoise: hit.isNoise,
          ...(hit.outlierScore !== undefined ? { outlierScore: hit.outlierScore } : {}),
          ...evidence,
          noEvidence: false,
          inDistribution: verdict.inDistribution,
          confidence: verdict.confidence,
          // Rank 1's verbatim evidence is checked against the best chunk of all, even one outside every cluster.
          overlapSpan: overlapWithChunk(index, span.text, span.start, rank === 0 ? (ranked[0]?.idx ?? hit.chunkIdx) : hit.chunkIdx),
        });
      });
    });
    options.onProgress?.({ stage: 'annotate', done: position + 1, total: inputs.length, message: 'searching the index' });
    return {
      prompt,
      text,
      annotations,
      ...outputVerdict(annotations, calibration === 'raw-distance-bands' ? (options.bands ?? RAW_DISTANCE_BANDS) : undefined, index.calibration?.bands),
      metadata: { timestamp: new Date().toISOString(), corpusIndexPath: index.directory, k, phraseLevel, embedderId, calibration },
    };
  });
}

/**
 * The verdict of a whole output from its sentences' rank-1 annotations (code and math spans left out):
 * calibrated, the band of the mean in_distribution (no-evidence sentences count 0); with raw bands,
 * the band of the mean distance of the sentences with a cluster (LOW when none has one but some
 * word is known); NO_EVIDENCE when no sentence has a word the corpus knows.
 */
function outputVerdict(
  annotations: Annotation[],
  rawBands: DistanceBands | undefined,
  calibratedBands: { high: number; medium: number } | undefined,
): Pick<AnnotatedOutput, 'confidence' | 'meanInDistribution'> {
  const prose = annotations.filter((annotation) => annotation.rank === 1 && annotation.spanKind === 'prose');
  if (prose.every((annotation) => annotation.confidence === 'NO_EVIDENCE')) return { confidence: 'NO_EVIDENCE', meanInDistribution: rawBands || prose.length === 0 ? null : 0 };
  if (rawBands) {
    const matched = prose.filter((annotation) => !annotation.noEvidence);
    if (matched.length === 0) return { confidence: 'LOW', meanInDistribution: meanOf(prose) };
    const distance = matched.reduce((sum, annotation) => sum + annotation.distance, 0) / matched.length;
    return { confidence: rawConfidence(distance, rawBands), meanInDistribution: meanOf(prose) };
  }
  const mean = meanOf(prose) ?? 0;
  return { confidence: confidenceFromInDistribution(mean, calibratedBands), meanInDistribution: mean };
}

function meanOf(annotations: Annotation[]): number | null {
  const values = annotations.map((annotation) => annotation.inDistribution).filter((value): value is number => typeof value === 'number');
  return values.length === 0 ? null : values.reduce((sum, value) => sum + value, 0) / values.length;
}

/**
 * Dense candidates re-ranked by the hybrid score (cosine similarity + 2 × word TF-IDF cosine; see
 * docs/annotate.md for the measured choice) over the first LEXICAL_CANDIDATES; the rest keep their dense order after them. So a
 * chunk that shares the sentence's words outranks one that is only near in embedding space.
 */
function hybridOrder(hits: SearchHit[], lexical: Map<number, number> | undefined): SearchHit[] {
  if (!lexical || lexical.size === 0) return hits;
  const head = hits.slice(0, LEXICAL_CANDIDATES);
  const key = (hit: SearchHit) => 1 - hit.distance + HYBRID_LEXICAL_WEIGHT * (lexical.get(hit.idx) ?? 0);
  head.sort((a, b) => key(b) - key(a) || a.distance - b.distance);
  return [...head, ...hits.slice(LEXICAL_CANDIDATES)];
}

/** An annotation with no cluster: the sentence had no corpus evidence, or was code or math. */
function noCluster(span: SentenceSpan, sentenceIndex: number): Annotation {
  return {
    textSpan: span.text,
    charStart: span.start,
    charEnd: span.end,
    sentenceIndex,
    clusterId: '',
    clusterName: '',
    clusterDepth: 0,
    clusterPath: [],
    distance: 1,
    rank: 1,
    corpusStage: null,
    nearestChunkIdx: -1,
    nearestChunkText: '',
    isNoise: false,
  };
}

/** Embeds texts as queries in calls of at most batchSize, checking what the embedder returns. */
async function embedAll(
  embedder: EmbedderV1,
  texts: string[],
  batchSize: number,
  options: AnnotateBatchOptions,
): Promise<Float32Array[]> {
  const vectors: Float32Array[] = [];
  for (let start = 0; start < texts.length; start += batchSize) {
    if (options.abortSignal?.aborted) throw new AbortedError('annotation aborted while embedding sentences');
    const values = texts.slice(start, start + batchSize);
    const { embeddings } = await embedder.doEmbed({ values, inputType: 'query', abortSignal: options.abortSignal });
    if (embeddings.length !== values.length) {
      throw new PluginError(embedder.provider, `doEmbed returned ${embeddings.length} vectors for ${values.length} texts; it must return one per text, in order`);
    }
    for (const vector of embeddings) {
      if (vector.length !== embedder.dimensions) {
        throw new PluginError(embedder.provider, `doEmbed returned a vector of ${vector.length} dimensions; the embedder declares ${embedder.dimensions}`);
      }
      vectors.push(vector);
    }
    options.onProgress?.({ stage: 'embed', done: vectors.length, total: texts.length, message: 'embedding sentences' });
  }
  return vectors;
}

/** An item as text and prompt, after checking its shape. */
function normalizeItem(item: AnnotateItem, position: number): { text: string; prompt: string | null } {
  if (typeof item === 'string') return { text: item, prompt: null };
  if (item === null || typeof item !== 'object' || typeof item.text !== 'string') {
    throw new InvalidInputError(`item ${position} to annotate must be a string or { text: string, prompt?: string }; got ${describe(item)}`);
  }
  return { text: item.text, prompt: item.prompt ?? null };
}

/** The whole text as one span, trimmed; none for blank text. */
function wholeText(text: string): SentenceSpan[] {
  const start = text.length - text.trimStart().length;
  const end = text.trimEnd().length;
  return end > start ? [{ text: text.slice(start, end), start, end }] : [];
}

/** The value if it is a positive integer, else an InvalidInputError naming the option. */
function positiveInteger(value: number, name: string): number {
  if (!Number.isInteger(value) || value < 1) throw new InvalidInputError(`annotate option ${name} must be a positive integer; got ${String(value)}`);
  return value;
}

/** A short description of an unexpected value for error messages. */
function describe(value: unknown): string {
  if (value === null) return 'null';
  if (typeof value !== 'object') return typeof value;
  return `an object with fields ${Object.keys(value).join(', ') || '(none)'}`;
}
