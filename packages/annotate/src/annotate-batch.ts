import {
  AbortedError,
  InvalidInputError,
  PluginError,
  type AnnotatedOutput,
  type Annotation,
  type CorpusIndex,
  type EmbedderV1,
  type ProgressListener,
} from '@corpus-proximity/core';
import { assertEmbedderMatchesIndex } from './assert-embedder-matches-index.js';
import { lookupCluster } from './cluster-lookup.js';
import { nearestClusters } from './nearest-clusters.js';
import { splitSentences, type SentenceSpan } from './split-sentences.js';

/** Options shared by annotateText and annotateBatch. */
export interface AnnotateOptions {
  /** Nearest distinct clusters per sentence (default 3). */
  k?: number;
  /** Annotate each sentence (default) or the whole text as one span. */
  phraseLevel?: boolean;
  /** Chunks searched per sentence before picking distinct clusters (default max(50, 20·k)). */
  candidates?: number;
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

/** Characters of the nearest chunk kept in an annotation. */
const CHUNK_PREVIEW = 200;

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

  // Each distinct sentence is embedded once, however often it occurs.
  const slots = new Map<string, number>();
  for (const list of spans) for (const span of list) if (!slots.has(span.text)) slots.set(span.text, slots.size);
  const vectors = await embedAll(embedder, [...slots.keys()], batchSize, options);

  // One pass over the index per block of sentences, instead of one per sentence.
  const firstHits = index.searchMany(vectors, Math.min(index.count, Math.max(candidates, k)));
  const embedderId = `${embedder.provider}:${embedder.modelId}`;
  return inputs.map(({ text, prompt }, position) => {
    if (options.abortSignal?.aborted) throw new AbortedError('annotation aborted while searching the index');
    const annotations: Annotation[] = [];
    spans[position]!.forEach((span, sentenceIndex) => {
      const slot = slots.get(span.text)!;
      nearestClusters(index, vectors[slot]!, k, candidates, firstHits[slot]).forEach((hit, rank) => {
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
        });
      });
    });
    options.onProgress?.({ stage: 'annotate', done: position + 1, total: inputs.length, message: 'searching the index' });
    return {
      prompt,
      text,
      annotations,
      metadata: { timestamp: new Date().toISOString(), corpusIndexPath: index.directory, k, phraseLevel, embedderId },
    };
  });
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
