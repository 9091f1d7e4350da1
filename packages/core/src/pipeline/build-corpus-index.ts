import { buildClusterTree, defaultClusterTreeSettings, walkBreadthFirst, type ClusterTreeSettings } from '../cluster-tree.js';
import type { CorpusIndex } from '../corpus-index.js';
import { corpusIndexFromData } from '../corpus-index-from-data.js';
import { AbortedError } from '../errors.js';
import type { CorpusInput } from '../list-corpus-sources.js';
import { nameClusterTree } from '../naming/index.js';
import { readCorpusDocuments } from '../read-corpus.js';
import type { ClustererV1, EmbedderV1, NamerV1 } from '../specs.js';
import type { ClusterNode, ProgressListener } from '../types.js';
import { writeCorpusIndex } from '../write-corpus-index.js';
import { chunkCorpus, type ChunkingSettings } from './chunk-corpus.js';
import { embedChunks } from './embed-chunks.js';

/** Everything buildCorpusIndex needs: where the corpus is, where the index goes, and the three plugins. */
export interface BuildCorpusIndexOptions {
  inputs: CorpusInput[];
  /** The index folder to write. */
  output: string;
  embedder: EmbedderV1;
  clusterer: ClustererV1;
  namer: NamerV1;
  /** Used for a node whose namer call fails for good (e.g. the keyword namer behind an LLM). */
  fallbackNamer?: NamerV1;
  /** JSONL field holding the text; 'text' by default. */
  textField?: string;
  /** Skip malformed JSONL lines (counted in stats.json) instead of stopping. */
  skipInvalid?: boolean;
  chunking?: Partial<ChunkingSettings>;
  /** Keep only the first N chunks (a quick look at a large corpus). */
  maxChunks?: number;
  /** Seeds UMAP, HDBSCAN tie-breaks, sampling and the embedder fit. Default 42. */
  seed?: number;
  clustering?: Partial<ClusterTreeSettings>;
  naming?: { concurrency?: number; samplesPerCluster?: number };
  /** Element type of embeddings.npy. Default float32. */
  dtype?: 'float32' | 'float16';
  /** Extra settings to record in config.json (e.g. the CLI's resolved flags). */
  config?: Record<string, unknown>;
  onProgress?: ProgressListener;
  /** Non-fatal remarks (skipped lines, reduced dimensions…). */
  onWarning?: (message: string) => void;
  abortSignal?: AbortSignal;
}

/** The built index and how long each step took. */
export interface BuildCorpusIndexResult {
  index: CorpusIndex;
  stats: Record<string, unknown>;
}

/** Reads, chunks, embeds, clusters recursively, names and writes a CorpusIndex folder. */
export async function buildCorpusIndex(options: BuildCorpusIndexOptions): Promise<BuildCorpusIndexResult> {
  const seed = options.seed ?? 42;
  const timings: Record<string, number> = {};
  const time = async <T>(step: string, work: () => Promise<T>): Promise<T> => {
    if (options.abortSignal?.aborted) throw new AbortedError(`cancelled before ${step}`);
    const start = performance.now();
    const result = await work();
    timings[step] = Math.round(performance.now() - start);
    return result;
  };

  const corpus = await time('read', () =>
    readCorpusDocuments(options.inputs, {
      textField: options.textField,
      skipInvalid: options.skipInvalid,
      onInvalid: (error) => options.onWarning?.(`skipped: ${error.message}`),
      onProgress: options.onProgress,
    }),
  );
  if (corpus.skipped > 0) options.onWarning?.(`skipped ${corpus.skipped} invalid line(s)`);

  const chunking = { ...defaultChunking, ...options.chunking };
  const { chunks, metadata, truncatedFrom } = await time('chunk', async () => chunkCorpus(corpus.documents, corpus.sources, chunking, options.maxChunks));
  if (truncatedFrom !== undefined) options.onWarning?.(`kept the first ${chunks.length} of ${truncatedFrom} chunks (--max-chunks)`);

  const { embedder } = options;
  if (embedder.doFit) {
    await time('fit', () => embedder.doFit!({ values: chunks, seed, onProgress: options.onProgress, abortSignal: options.abortSignal }));
  }
  const dimension = embedder.dimensions;
  const embeddings = await time('embed', () => embedChunks(embedder, chunks, { onProgress: options.onProgress, abortSignal: options.abortSignal }));

  const clustering = { ...defaultClusterTreeSettings, ...options.clustering };
  const clustered = await time('cluster', () =>
    buildClusterTree(embeddings, dimension, options.clusterer, {
      settings: clustering,
      seed,
      onProgress: options.onProgress,
      abortSignal: options.abortSignal,
    }),
  );

  const naming = await time('name', () =>
    nameClusterTree(clustered.tree, {
      namer: options.namer,
      fallback: options.fallbackNamer,
      chunks,
      embeddings,
      dimension,
      centroids: clustered.centroids,
      members: clustered.members,
      concurrency: options.naming?.concurrency,
      samplesPerCluster: options.naming?.samplesPerCluster,
      seed,
      onProgress: options.onProgress,
      abortSignal: options.abortSignal,
    }),
  );

  const stats = {
    chunks: chunks.length,
    documents: corpus.documents.length,
    sources: corpus.sources.length,
    skipped_invalid_lines: corpus.skipped,
    empty_documents: corpus.empty,
    ...treeStats(clustered.tree, chunks.length),
    naming,
    timings_ms: timings,
  };
  const config = {
    seed,
    chunking,
    max_chunks: options.maxChunks ?? null,
    text_field: options.textField ?? 'text',
    inputs: options.inputs.map((input) => ({ path: input.path, stage: input.stage ?? 'pretrain' })),
    embedder: { provider: embedder.provider, model_id: embedder.modelId, dimensions: dimension },
    clusterer: options.clusterer.id,
    clustering,
    namer: options.namer.id,
    ...options.config,
  };
  const data = {
    chunks,
    metadata,
    embeddings,
    dimension,
    tree: clustered.tree,
    centroids: clustered.centroids,
    assignment: clustered.assignment,
    stats,
    config,
    embedder: { provider: embedder.provider, modelId: embedder.modelId, dimensions: dimension, state: embedder.exportState?.() },
    documents: corpus.documents.length,
    sources: corpus.sources.length,
  };
  const writeStart = performance.now();
  options.onProgress?.({ stage: 'write', done: 0, message: `writing ${options.output}` });
  const manifest = await writeCorpusIndex(options.output, data, { dtype: options.dtype });
  timings.write = Math.round(performance.now() - writeStart);
  options.onProgress?.({ stage: 'write', done: 1, total: 1, message: 'index complete' });
  return { index: corpusIndexFromData(data, { directory: options.output, manifest }), stats };
}

const defaultChunking: ChunkingSettings = { strategy: 'paragraph', maxChars: 2000, windowWords: 200, overlapWords: 30 };

function treeStats(tree: ClusterNode, chunkCount: number) {
  const perDepth: Record<string, number> = {};
  let clusters = 0;
  let leaves = 0;
  let noise = 0;
  let maxDepth = 0;
  walkBreadthFirst(tree, (node) => {
    clusters++;
    noise += node.noise_count;
    maxDepth = Math.max(maxDepth, node.depth);
    perDepth[node.depth] = (perDepth[node.depth] ?? 0) + 1;
    if (node.children.length === 0) leaves++;
  });
  return { clusters, leaves, max_depth: maxDepth, nodes_per_depth: perDepth, noise, noise_fraction: chunkCount ? noise / chunkCount : 0 };
}
