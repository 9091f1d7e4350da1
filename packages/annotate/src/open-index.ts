import {
  InvalidInputError,
  loadCorpusIndex,
  type AnnotatedOutput,
  type ClusterNode,
  type CorpusIndex,
  type CorpusStage,
  type EmbedderV1,
  type ProgressEvent,
} from '@corpus-proximity/core';
import { embedderFromManifest, embedderFromSpec, registeredEmbedders, type EmbedderOverrides, type EmbedderSpecOptions } from '@corpus-proximity/embedders';
import { annotateBatch, type AnnotateBatchOptions } from './annotate-batch.js';
import { assertEmbedderMatchesIndex } from './assert-embedder-matches-index.js';
import { attachAvgLogprobs } from './attach-avg-logprobs.js';
import { lookupCluster } from './cluster-lookup.js';
import { readTokenLogprobs } from './token-logprobs.js';

/** Outputs annotated per annotateBatch call: each block embeds and searches its sentences together, then reports progress. */
const OUTPUTS_PER_BLOCK = 256;

/** Options of openIndex. */
export interface OpenIndexOptions {
  /** The query embedder, for indexes built from `--embeddings` (no embedder recorded), or to replace the recorded one: an EmbedderV1 or a spec string such as `openai:text-embedding-3-small` or `onnx:models/my-bert`. */
  queryEmbedder?: EmbedderV1 | string;
  /** Settings for a spec-string queryEmbedder (device, dtype, batch size, base URL). */
  spec?: EmbedderSpecOptions;
  /** Local settings for the recorded embedder (model folder, device, API key), by provider. */
  overrides?: EmbedderOverrides;
  /** Re-hash every file against the manifest while loading (default as loadCorpusIndex). */
  verifyChecksums?: boolean;
}

/** A model output to annotate through openIndex: its text, and optionally its prompt and the engine's logprobs. */
export type OpenIndexItem = string | { text: string; prompt?: string | null; logprobs?: unknown; choices?: unknown };

/** Options of OpenedIndex.annotate. */
export interface OpenedAnnotateOptions extends AnnotateBatchOptions {
  /** Called once per output whose logprobs do not fit its text (the avg_logprob field is then omitted). Default: console.warn. */
  onWarning?: (message: string) => void;
}

/** One nearest chunk of OpenedIndex.search. */
export interface ChunkHit {
  chunkIdx: number;
  text: string;
  /** Cosine distance to the query. */
  distance: number;
  /** Deepest cluster of the chunk (for a noise chunk, the node that called it noise). */
  clusterId: string;
  clusterName: string;
  corpusStage: CorpusStage | null;
  isNoise: boolean;
}

/** A node of the cluster tree as OpenedIndex.cluster returns it. */
export interface ClusterSummary {
  clusterId: string;
  name: string;
  description?: string;
  depth: number;
  /** Names from the root's child down to this node. */
  path: string[];
  /** Chunks in the node, noise included. */
  size: number;
  parentId: string | null;
  childIds: string[];
  /** Texts of the chunks nearest the centroid. */
  sampleTexts: string[];
}

/** An index opened with its query embedder: annotate, search and browse in one object. */
export interface OpenedIndex {
  readonly index: CorpusIndex;
  readonly embedder: EmbedderV1;
  /** One text (or item) → one annotated output; a list → a list, in order. */
  annotate(text: OpenIndexItem, options?: OpenedAnnotateOptions): Promise<AnnotatedOutput>;
  annotate(texts: readonly OpenIndexItem[], options?: OpenedAnnotateOptions): Promise<AnnotatedOutput[]>;
  /** The k nearest chunks to a text (default k = 10), nearest first. */
  search(text: string, options?: { k?: number }): Promise<ChunkHit[]>;
  /** A node of the cluster tree by id ("0" is the root); throws InvalidInputError for an unknown id. */
  cluster(clusterId: string): ClusterSummary;
}

/**
 * Opens an index folder with its query embedder, restored from the manifest through the embedder
 * registry (built-ins: lsa, onnx, openai; add your own with registerEmbedder), or given as `queryEmbedder`.
 */
export async function openIndex(directory: string, options: OpenIndexOptions = {}): Promise<OpenedIndex> {
  const index = await loadCorpusIndex(directory, options.verifyChecksums === undefined ? {} : { verifyChecksums: options.verifyChecksums });
  const embedder = resolveQueryEmbedder(index, options);
  assertEmbedderMatchesIndex(index, embedder);
  return {
    index,
    embedder,
    annotate: ((input: OpenIndexItem | readonly OpenIndexItem[], annotateOptions: OpenedAnnotateOptions = {}) =>
      Array.isArray(input) ? annotateItems(index, embedder, input, annotateOptions) : annotateItems(index, embedder, [input as OpenIndexItem], annotateOptions).then(([output]) => output!)) as OpenedIndex['annotate'],
    search: async (text, searchOptions = {}) => {
      if (typeof text !== 'string') throw new InvalidInputError(`search: the query must be a string; got ${typeof text}`);
      const k = searchOptions.k ?? 10;
      if (!Number.isInteger(k) || k < 1) throw new InvalidInputError(`search option k must be a positive integer; got ${String(k)}`);
      const { embeddings } = await embedder.doEmbed({ values: [text], inputType: 'query' });
      const noise = new Set(index.assignment.noise);
      return index.search(embeddings[0]!, Math.min(k, index.count)).map((hit) => {
        const clusterId = index.assignment.clusters[hit.idx]!;
        return {
          chunkIdx: hit.idx,
          text: index.chunks[hit.idx] ?? '',
          distance: hit.distance,
          clusterId,
          clusterName: lookupCluster(index, clusterId).node.name,
          corpusStage: index.metadata[hit.idx]?.corpus_stage ?? null,
          isNoise: noise.has(hit.idx),
        };
      });
    },
    cluster: (clusterId) => summarize(index, clusterId),
  };
}

/**
 * The embedder queries of a loaded index are embedded with: `queryEmbedder` when given (an EmbedderV1
 * or a spec string), else the one the manifest records, restored through the embedder registry.
 */
export function resolveQueryEmbedder(index: CorpusIndex, options: Pick<OpenIndexOptions, 'queryEmbedder' | 'spec' | 'overrides'> = {}): EmbedderV1 {
  const given = options.queryEmbedder;
  if (typeof given === 'string') {
    const made = embedderFromSpec(given, { dimensions: index.dimension, ...options.spec });
    // A fresh embedder that learns from the corpus (LSA) knows nothing yet: it cannot embed queries.
    if (typeof made.doFit === 'function') {
      throw new InvalidInputError(`query embedder "${given}" is fitted on the corpus at index time, so a fresh one cannot embed queries for ${index.directory}; use the model that made the embeddings (e.g. onnx:<folder> or openai:<model>)`);
    }
    return made;
  }
  if (given !== undefined) {
    if (given === null || typeof given !== 'object' || given.specificationVersion !== 'embedder-v1') {
      throw new InvalidInputError(`openIndex: queryEmbedder must be an EmbedderV1 (specificationVersion 'embedder-v1') or a spec string; got ${given === null ? 'null' : typeof given}`);
    }
    return given;
  }
  const recorded = index.manifest.embedder;
  if (recorded.provider === 'precomputed') {
    const specs = registeredEmbedders().filter((entry) => entry.fromSpec).map((entry) => entry.description ?? entry.provider);
    throw new InvalidInputError(
      `the index at ${index.directory} was built from precomputed embeddings (--embeddings), so it records no embedder to embed queries with (model "${recorded.model_id}", ${recorded.dimensions} dimensions). ` +
        `Pass the model that made them: openIndex(dir, { queryEmbedder }) with an EmbedderV1 or a spec (${specs.join(', ')}); on the command line, --query-embedder SPEC.`,
    );
  }
  return embedderFromManifest(
    { provider: recorded.provider, modelId: recorded.model_id, dimensions: recorded.dimensions, settings: recorded.settings },
    index.embedder.state?.files ?? {},
    options.overrides,
  );
}

/** Annotates items, attaching avg_logprob where an item carries logprobs that fit its text. */
async function annotateItems(index: CorpusIndex, embedder: EmbedderV1, items: readonly OpenIndexItem[], options: OpenedAnnotateOptions): Promise<AnnotatedOutput[]> {
  const { onWarning = (message: string) => console.warn(`warning: ${message}`), ...rest } = options;
  const plain = items.map((item, position) => {
    if (typeof item === 'string') return item;
    if (item === null || typeof item !== 'object' || typeof item.text !== 'string') {
      throw new InvalidInputError(`item ${position} to annotate must be a string or { text: string, prompt?, logprobs? }; got ${item === null ? 'null' : typeof item}`);
    }
    return { text: item.text, prompt: item.prompt ?? null };
  });
  // Blocks of outputs, so a large eval set reports progress while it is searched, not only at the end.
  const outputs: AnnotatedOutput[] = [];
  for (let offset = 0; offset < plain.length; offset += OUTPUTS_PER_BLOCK) {
    const block = plain.slice(offset, offset + OUTPUTS_PER_BLOCK);
    const onProgress = rest.onProgress && ((event: ProgressEvent) =>
      rest.onProgress!(event.stage === 'annotate' ? { ...event, done: offset + event.done, total: plain.length } : { ...event, message: `${event.message ?? event.stage} (outputs ${offset + 1}–${offset + block.length} of ${plain.length})` }));
    outputs.push(...(await annotateBatch(index, embedder, block, { ...rest, onProgress })));
  }
  return outputs.map((output, position) => {
    const item = items[position]!;
    if (typeof item === 'string') return output;
    const reading = readTokenLogprobs(item as Record<string, unknown>, item.text);
    if (reading.status === 'ok') return attachAvgLogprobs(output, reading.tokens);
    if (reading.status === 'mismatch') onWarning(`item ${position}: logprobs ignored (avg_logprob omitted): ${reading.reason}`);
    return output;
  });
}

/** A tree node with its path, parent, children and sample texts. */
function summarize(index: CorpusIndex, clusterId: string): ClusterSummary {
  const node: ClusterNode | undefined = typeof clusterId === 'string' ? index.getNode(clusterId) : undefined;
  if (!node) {
    const top = index.tree.children.map((child) => child.cluster_id).join(', ');
    throw new InvalidInputError(`cluster "${String(clusterId)}" is not in the tree of ${index.directory}; ids are dotted paths from the root "0" (its children: ${top || 'none'})`);
  }
  const { path } = lookupCluster(index, clusterId);
  const dot = clusterId.lastIndexOf('.');
  return {
    clusterId: node.cluster_id,
    name: node.name,
    ...(node.description !== undefined ? { description: node.description } : {}),
    depth: node.depth,
    path,
    size: node.size,
    parentId: dot === -1 ? null : clusterId.slice(0, dot),
    childIds: node.children.map((child) => child.cluster_id),
    sampleTexts: node.samples.map((idx) => index.chunks[idx] ?? ''),
  };
}
