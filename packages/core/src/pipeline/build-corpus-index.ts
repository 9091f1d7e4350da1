import { checkSpecification } from '../check-specification.js';
import { readdir, rm } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { buildClusterTree, defaultClusterTreeSettings, type ClusterTreeSettings } from '../tree/cluster-tree.js';
import type { CorpusIndex, CorpusIndexData } from '../index-format/corpus-index.js';
import { corpusIndexFromData } from '../index-format/corpus-index-from-data.js';
import { buildIndexEvidence } from '../calibration/build-index-evidence.js';
import { searchExactMany } from '../search/search.js';
import { AbortedError, InvalidInputError } from '../errors.js';
import { INDEX_FILES } from '../index-format/index-files.js';
import type { CorpusInput } from '../read/list-corpus-sources.js';
import { nameClusterTree } from '../naming/index.js';
import { readCorpusDocuments } from '../read/read-corpus.js';
import type { ClustererV1, EmbedderV1, NamerV1 } from '../specs.js';
import type { ChunkMetadata, ProgressListener } from '../types.js';
import { writeCorpusIndex } from '../index-format/write-corpus-index.js';
import { writeFileAtomic } from '../index-format/write-file-atomic.js';
import { AUTO_ANN_MIN_CHUNKS } from '../search/select-search-mode.js';
import type { SearchIndexSettings } from '../search/search-index-metadata.js';
import { writeSearchIndex } from '../search/write-search-index.js';
import { buildConfig, buildStats } from './build-summary.js';
import { chunkCorpus, type ChunkingSettings } from './chunk-corpus.js';
import { embedWithCheckpoints, type EmbedWithCheckpointsResult } from './embed-with-checkpoints.js';
import { readPrecomputedEmbeddings, type PrecomputedEmbeddings } from './read-precomputed-embeddings.js';
import { removeStaleTemporaryFiles } from './remove-stale-temporary-files.js';
import { deduplicateChunks } from './deduplicate-chunks.js';

/** Everything buildCorpusIndex needs: where the corpus is, where the index goes, and the three plugins. */
export interface BuildCorpusIndexOptions {
  /** Corpus files or folders; not needed with `precomputed`. */
  inputs?: CorpusInput[];
  /** The index folder to write. Its `.work/` subfolder holds checkpoints (and, by default, the embedding cache). */
  output: string;
  /** Required unless `precomputed` is given; with it, only recorded (so queries can be embedded later). */
  embedder?: EmbedderV1;
  clusterer: ClustererV1;
  namer: NamerV1;
  /** Used for a node whose namer call fails for good (e.g. the keyword namer behind an LLM). */
  fallbackNamer?: NamerV1;
  /** JSONL field holding the text; 'text' by default. */
  textField?: string;
  /** Skip malformed JSONL lines (counted in stats.json) instead of stopping. */
  skipInvalid?: boolean;
  chunking?: Partial<ChunkingSettings>;
  /** Drop exact duplicate chunks, keeping the first and listing the copies' provenance in its metadata (the CLI does by default). Default false. */
  deduplicate?: boolean;
  /** Keep only the first N chunks (a quick look at a large corpus). */
  maxChunks?: number;
  /** Seeds UMAP, HDBSCAN tie-breaks, sampling and the embedder fit. Default 42. */
  seed?: number;
  /** Tree settings; `fitSample` fits the tree on a seeded sample and routes the other chunks down it. */
  clustering?: Partial<ClusterTreeSettings>;
  naming?: { concurrency?: number; samplesPerCluster?: number };
  /** Element type of embeddings.npy. Default float32. */
  dtype?: 'float32' | 'float16';
  /** Rows per embedding checkpoint shard (`<output>/.work/embeddings/shard_00000.npy`, …). Default 50,000. */
  checkpointEvery?: number;
  /** Embedding cache folder (e.g. a user-level cache), or false for none. Default `<output>/.work/cache`. */
  cacheDirectory?: string | false;
  /** Keep the default cache (`<output>/.work/cache`) after the index is written, so a rebuild with other clustering settings embeds nothing. Default false: it is removed (it holds a second copy of the embeddings). */
  keepCache?: boolean;
  /** Use these embeddings and chunks instead of reading, chunking and embedding a corpus. */
  precomputed?: PrecomputedEmbeddings;
  /**
   * manifest.json's created_at. Default: $SOURCE_DATE_EPOCH when set, else when the embedding of
   * this index first started (kept across resumes). Fix it to make rebuilds byte-identical.
   */
  createdAt?: string;
  /**
   * The HNSW search index (search.usearch, needs the optional `usearch` package): 'auto' (default)
   * builds it above 100K chunks, where `--search auto` uses it; 'always'; or 'never'.
   */
  searchIndex?: 'auto' | 'always' | 'never';
  /** Settings of the HNSW build (quantization, connectivity, ef, recall sample). */
  searchIndexSettings?: Partial<SearchIndexSettings>;
  /** Extra settings to record in config.json (e.g. the CLI's resolved flags). */
  config?: Record<string, unknown>;
  /** Cuts held-out corpus text into sentences for calibration.json, as annotate cuts outputs (the CLI passes annotate's splitSentences); a punctuation rule by default. */
  splitSentences?: (text: string) => string[];
  onProgress?: ProgressListener;
  /** Non-fatal remarks (skipped lines, discarded checkpoints, normalized rows…). */
  onWarning?: (message: string) => void;
  abortSignal?: AbortSignal;
}

/** The built index, its stats.json, and the run's log (timings, resume and cache counts) also written to build-log.json. */
export interface BuildCorpusIndexResult {
  index: CorpusIndex;
  stats: Record<string, unknown>;
  log: BuildLog;
}

/** build-log.json: what differs from run to run, kept out of the index's checksummed files. */
export interface BuildLog {
  timings_ms: Record<string, number>;
  embedding: { embedded: number; reused_from_cache: number; resumed_from_checkpoint: number; precomputed: number };
}

/** Name of the run log written next to the index files (not listed in the manifest). */
export const BUILD_LOG_FILE = 'build-log.json';

/**
 * Reads, chunks, embeds (with checkpoints, resume and a cache), clusters recursively, names and
 * writes a CorpusIndex folder. Rerunning after a crash resumes, and the finished index is
 * byte-identical to an uninterrupted run's (given the same createdAt); timings go to build-log.json.
 */
export async function buildCorpusIndex(options: BuildCorpusIndexOptions): Promise<BuildCorpusIndexResult> {
  if (options.embedder !== undefined) checkSpecification('embedder', options.embedder);
  const seed = options.seed ?? 42;
  const workDirectory = join(options.output, '.work');
  const timings: Record<string, number> = {};
  const time = async <T>(step: string, work: () => Promise<T>): Promise<T> => {
    if (options.abortSignal?.aborted) throw new AbortedError(`cancelled before ${step}`);
    const start = performance.now();
    const result = await work();
    timings[step] = Math.round(performance.now() - start);
    return result;
  };

  const source = options.precomputed ? await readPrecomputed(options, time) : await embedCorpus(options, seed, workDirectory, time);
  const { chunks, embeddings, dimension } = source;

  const clustering = { ...defaultClusterTreeSettings, ...options.clustering };
  const clustered = await time('cluster', () =>
    buildClusterTree(embeddings, dimension, options.clusterer, { settings: clustering, seed, onProgress: options.onProgress, abortSignal: options.abortSignal }),
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

  const usage = options.namer.usage?.();
  const stats = buildStats({ ...source, tree: clustered.tree, fittedChunks: clustered.fittedChunks, assignment: clustered.assignment, treeKind: clustering.tree, naming: usage ? { ...naming, usage } : naming });
  const data: CorpusIndexData = {
    chunks,
    metadata: source.metadata,
    embeddings,
    dimension,
    tree: clustered.tree,
    centroids: clustered.centroids,
    assignment: clustered.assignment,
    stats,
    config: buildConfig(options, { seed, chunking: source.chunking, clustering, embedder: source.embedder }),
    embedder: source.embedder,
    documents: source.documents,
    sources: source.sources,
  };
  // Lexical index and calibration: linear in the corpus plus one search per held-out sample (docs/annotate.md).
  const evidence = await time('calibrate', () =>
    buildIndexEvidence(data, (queries, k) => searchExactMany(embeddings, dimension, queries, k), {
      // Precomputed embeddings without an embedder: chunk-to-chunk calibration.
      embedder: options.embedder,
      seed,
      splitSentences: options.splitSentences,
      onProgress: options.onProgress,
      onWarning: options.onWarning,
      abortSignal: options.abortSignal,
    }),
  );
  Object.assign(data, evidence);
  const createdAt = options.createdAt ?? sourceDateEpoch() ?? source.startedAt ?? new Date().toISOString();
  let manifest = await time('write', async () => {
    options.onProgress?.({ stage: 'write', done: 0, message: `writing ${options.output}` });
    // Half-written files of a killed run would otherwise stay next to the index.
    await removeStaleTemporaryFiles(options.output, [INDEX_FILES.embedderFolder]);
    return writeCorpusIndex(options.output, data, { dtype: options.dtype, createdAt });
  });
  const searchIndex = options.searchIndex ?? 'auto';
  if (searchIndex === 'always' || (searchIndex === 'auto' && chunks.length > AUTO_ANN_MIN_CHUNKS)) {
    const written = await time('search', () =>
      writeSearchIndex(options.output, { embeddings, dimension, manifest, stats: data.stats }, { settings: options.searchIndexSettings, onProgress: options.onProgress, abortSignal: options.abortSignal }),
    );
    manifest = written.manifest;
    data.stats = written.stats;
  }
  await source.checkpoint?.remove();
  if (!options.keepCache && options.cacheDirectory === undefined) await rm(join(workDirectory, 'cache'), { recursive: true, force: true });
  // .work/ goes once empty (unless it keeps the default embedding cache).
  await readdir(workDirectory).then((names) => (names.length === 0 ? rm(workDirectory, { recursive: true }) : undefined)).catch(() => undefined);
  const log: BuildLog = { timings_ms: timings, embedding: source.log };
  await writeFileAtomic(join(options.output, BUILD_LOG_FILE), `${JSON.stringify(log, null, 2)}\n`);
  options.onProgress?.({ stage: 'write', done: 1, total: 1, message: 'index complete' });
  return { index: corpusIndexFromData(data, { directory: options.output, manifest }), stats: data.stats, log };
}

/** The chunks and rows the rest of the build works on, wherever they came from. */
export interface EmbeddedCorpus {
  chunks: string[];
  metadata: ChunkMetadata[];
  embeddings: Float32Array;
  dimension: number;
  documents: number;
  sources: number;
  skipped: number;
  empty: number;
  /** Exact duplicate chunks dropped (their provenance is in the kept chunk's metadata). */
  duplicates?: number;
  chunking: ChunkingSettings | null;
  embedder: CorpusIndexData['embedder'];
  checkpoint?: EmbedWithCheckpointsResult['checkpoint'];
  startedAt?: string;
  log: BuildLog['embedding'];
}

type Timer = <T>(step: string, work: () => Promise<T>) => Promise<T>;

async function embedCorpus(options: BuildCorpusIndexOptions, seed: number, workDirectory: string, time: Timer): Promise<EmbeddedCorpus> {
  const { embedder, inputs } = options;
  if (embedder === undefined) throw new InvalidInputError('buildCorpusIndex needs an embedder (or precomputed embeddings)');
  if (inputs === undefined || inputs.length === 0) throw new InvalidInputError('buildCorpusIndex needs at least one input (or precomputed embeddings)');
  const checkpointEvery = options.checkpointEvery ?? 50_000;
  if (!Number.isInteger(checkpointEvery) || checkpointEvery < 1) {
    throw new InvalidInputError(`checkpointEvery must be a positive whole number of chunks, got ${checkpointEvery}`);
  }
  const corpus = await time('read', () =>
    readCorpusDocuments(uniqueInputs(inputs, options.onWarning), {
      textField: options.textField,
      skipInvalid: options.skipInvalid,
      onInvalid: (error) => options.onWarning?.(`skipped: ${error.message}`),
      onProgress: options.onProgress,
    }),
  );
  if (corpus.skipped > 0) options.onWarning?.(`skipped ${corpus.skipped} invalid line(s)`);
  const chunking = { ...defaultChunking, ...options.chunking };
  if (chunking.strategy === 'tokens') await embedder?.load?.();
  const chunked = await time('chunk', async () => chunkCorpus(corpus.documents, corpus.sources, chunking, options.maxChunks, embedder));
  if (chunked.truncatedFrom !== undefined) options.onWarning?.(`kept the first ${chunked.chunks.length} of ${chunked.truncatedFrom} chunks (--max-chunks)`);
  const { chunks, metadata, removed: duplicates } = options.deduplicate !== true ? { ...chunked, removed: 0 } : deduplicateChunks(chunked.chunks, chunked.metadata);
  if (duplicates > 0) {
    options.onWarning?.(`dropped ${duplicates} exact duplicate chunk(s), ${chunks.length} left; each kept chunk lists its copies' sources under "duplicates" in metadata.jsonl`);
  }
  // Fitting is deterministic for a seed, so a resumed run refits to the same state (the checkpoint checks its fingerprint).
  if (embedder.doFit) await time('fit', () => embedder.doFit!({ values: chunks, seed, onProgress: options.onProgress, abortSignal: options.abortSignal }));
  const embedded = await time('embed', () =>
    embedWithCheckpoints(embedder, chunks, {
      workDirectory,
      checkpointEvery,
      cacheDirectory: options.cacheDirectory ?? join(workDirectory, 'cache'),
      cacheKey: { dtype: options.dtype ?? 'float32', chunking },
      onProgress: options.onProgress,
      onWarning: options.onWarning,
      abortSignal: options.abortSignal,
    }),
  );
  return {
    chunks,
    metadata,
    embeddings: embedded.embeddings,
    dimension: embedder.dimensions,
    documents: corpus.documents.length,
    sources: corpus.sources.length,
    duplicates,
    skipped: corpus.skipped,
    empty: corpus.empty,
    chunking,
    embedder: { provider: embedder.provider, modelId: embedder.modelId, dimensions: embedder.dimensions, state: embedder.exportState?.() },
    checkpoint: embedded.checkpoint,
    startedAt: embedded.startedAt,
    log: { embedded: embedded.embedded, reused_from_cache: embedded.reusedFromCache, resumed_from_checkpoint: embedded.resumedFromCheckpoint, precomputed: 0 },
  };
}

async function readPrecomputed(options: BuildCorpusIndexOptions, time: Timer): Promise<EmbeddedCorpus> {
  const { embedder } = options;
  const precomputed = options.precomputed!;
  if (embedder?.doFit) {
    throw new InvalidInputError(
      `embedder ${embedder.provider}:${embedder.modelId} is fitted on the corpus and cannot be paired with precomputed embeddings; pass the embedder that made ${precomputed.embeddings}, or none`,
    );
  }
  const read = await time('read', () => readPrecomputedEmbeddings(precomputed, { dimension: embedder?.dimensions, onWarning: options.onWarning }));
  const count = read.chunks.length;
  return {
    ...read,
    documents: count,
    sources: new Set(read.metadata.map((row) => row.source)).size,
    skipped: 0,
    empty: 0,
    chunking: null,
    // Without an embedder, queries need the user's own embedder of the same model (see docs).
    embedder: embedder
      ? { provider: embedder.provider, modelId: embedder.modelId, dimensions: embedder.dimensions, state: embedder.exportState?.() }
      : { provider: 'precomputed', modelId: precomputed.modelId ?? 'unknown', dimensions: read.dimension },
    log: { embedded: 0, reused_from_cache: 0, resumed_from_checkpoint: 0, precomputed: count },
  };
}

const defaultChunking: ChunkingSettings = { strategy: 'paragraph', maxChars: 2000, windowWords: 200, overlapWords: 30, maxTokens: 510, overlap: 0.15 };

// SOURCE_DATE_EPOCH is the reproducible-builds convention for a fixed timestamp.
function sourceDateEpoch(): string | undefined {
  const value = process.env.SOURCE_DATE_EPOCH;
  if (value === undefined || !/^\d+$/.test(value)) return undefined;
  return new Date(Number(value) * 1000).toISOString();
}

// The same file twice would index every chunk twice: read it once, and say so.
function uniqueInputs(inputs: CorpusInput[], onWarning?: (message: string) => void): CorpusInput[] {
  const seen = new Map<string, CorpusInput>();
  const unique: CorpusInput[] = [];
  for (const input of inputs) {
    const key = resolve(input.path);
    const earlier = seen.get(key);
    if (earlier) {
      onWarning?.(`input ${input.path} is given more than once${earlier.path !== input.path ? ` (also as ${earlier.path})` : ''}; reading it once${(earlier.stage ?? 'pretrain') !== (input.stage ?? 'pretrain') ? `, as stage ${earlier.stage ?? 'pretrain'}` : ''}`);
      continue;
    }
    seen.set(key, input);
    unique.push(input);
  }
  return unique;
}
