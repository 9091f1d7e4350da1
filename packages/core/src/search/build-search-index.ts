import { randomBytes } from 'node:crypto';
import { readFile, rename, rm } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { basename, dirname, join } from 'node:path';
import { AbortedError, InvalidInputError } from '../errors.js';
import { createRandom } from '../random.js';
import { searchExactMany } from './search.js';
import { sha256File } from '../index-format/sha256-file.js';
import type { ProgressListener } from '../types.js';
import { loadUsearch, type UsearchIndex, type UsearchModule } from './load-usearch.js';
import { createRerankedSearch, type RerankedSearch } from './rerank-search.js';
import {
  AUTO_EF_STEPS,
  AUTO_EF_TARGET_RECALL,
  AUTO_EF_UNMEASURED,
  defaultSearchIndexSettings,
  SEARCH_INDEX_FILE,
  type SearchIndexMetadata,
  type SearchIndexSettings,
} from './search-index-metadata.js';

/** Options of buildSearchIndex. */
export interface BuildSearchIndexOptions {
  /** Where to write the usearch file (written to a temporary name, then renamed). */
  path: string;
  /** sha256 of the embeddings.npy these rows come from, recorded so a stale search index is caught on load. */
  embeddingsSha256: string;
  settings?: Partial<SearchIndexSettings>;
  /** Receives { stage: 'search', done, total } while vectors are inserted, then while recall is measured. */
  onProgress?: ProgressListener;
  abortSignal?: AbortSignal;
  /** The usearch module (tests); imported lazily by default. */
  usearch?: UsearchModule;
}

/** Rows inserted per call, so progress and cancellation are seen during a long build. */
const INSERT_BATCH = 8192;

/**
 * Up to this many rows the graph is built on one thread: usearch's multi-threaded inserts make a
 * different graph each run (so a small index's search results could change between two builds),
 * and one thread builds 50,000 rows in seconds. Above it, all cores.
 */
export const SINGLE_THREAD_BUILD_MAX_ROWS = 50_000;

/**
 * Builds an HNSW graph (usearch, cosine) over L2-normalized row-major embeddings, saves it, and
 * measures recall@10 of the approximate-then-reranked search against exact search on a seeded
 * sample of rows. Returns the metadata to record in manifest.json, the written file's checksum and
 * the build time (kept out of the checksummed files, like every timing).
 */
export async function buildSearchIndex(
  embeddings: Float32Array,
  dimension: number,
  options: BuildSearchIndexOptions,
): Promise<{ metadata: SearchIndexMetadata; file: { sha256: string; bytes: number }; buildMs: number }> {
  const settings = checkSettings({ ...defaultSearchIndexSettings, ...options.settings });
  const count = embeddings.length / dimension;
  if (!Number.isInteger(count) || count < 1) throw new InvalidInputError(`cannot build a search index over ${embeddings.length} values of dimension ${dimension}`);
  const usearch = options.usearch ?? (await loadUsearch());
  const started = performance.now();
  const graph = newGraph(usearch, dimension, settings);
  for (let start = 0; start < count; start += INSERT_BATCH) {
    if (options.abortSignal?.aborted) throw new AbortedError('search index build cancelled');
    const end = Math.min(count, start + INSERT_BATCH);
    const keys = new BigUint64Array(end - start);
    for (let row = start; row < end; row++) keys[row - start] = BigInt(row);
    graph.add(keys, embeddings.subarray(start * dimension, end * dimension), count <= SINGLE_THREAD_BUILD_MAX_ROWS ? 1 : 0);
    options.onProgress?.({ stage: 'search', done: end, total: count, message: 'building the HNSW search index' });
    // Let timers (progress redraws, Ctrl-C) run between batches.
    await new Promise((resolve) => setImmediate(resolve));
  }
  // writeFileAtomic's temporary naming, so a killed build's leftover is swept like the others.
  const temporary = join(dirname(options.path), `.${basename(options.path)}.tmp-${process.pid}-${randomBytes(4).toString('hex')}`);
  let file: { sha256: string; bytes: number };
  try {
    graph.save(temporary);
    file = await sha256File(temporary);
    await rename(temporary, options.path);
  } catch (error) {
    await rm(temporary, { force: true });
    throw error;
  }
  const buildMs = Math.round(performance.now() - started);

  const recallOptions = { queries: settings.recallQueries, seed: settings.seed, onProgress: options.onProgress };
  let expansionSearch = settingsEf(settings);
  let recall = { recall: 1, queries: 0 };
  let recallByEf: Array<[number, number]> | undefined;
  if (settings.expansionSearch === 'auto' && settings.recallQueries > 0) {
    // The exact neighbours are computed once; each ef re-opens the saved graph (memory-mapped, cheap) with that breadth.
    const truth = exactTruth(embeddings, dimension, recallOptions);
    recallByEf = [];
    for (const ef of AUTO_EF_STEPS) {
      const view = newGraph(usearch, dimension, settings, ef);
      view.view(options.path);
      recall = recallAgainst(createRerankedSearch(view, embeddings, dimension, settings.rerankFactor), truth);
      recallByEf.push([ef, recall.recall]);
      expansionSearch = ef;
      options.onProgress?.({ stage: 'search', done: 1, total: 1, message: `recall@10 ${recall.recall} with ef ${ef}` });
      if (recall.recall >= AUTO_EF_TARGET_RECALL) break;
    }
  } else {
    // the saved graph, as annotate opens it (the in-memory one may have been built on one thread, which it then keeps for searches)
    const view = newGraph(usearch, dimension, settings);
    view.view(options.path);
    recall = measureRecall(createRerankedSearch(view, embeddings, dimension, settings.rerankFactor), embeddings, dimension, recallOptions);
  }
  return {
    metadata: {
      kind: 'hnsw',
      library: 'usearch',
      library_version: await usearchVersion(),
      file: SEARCH_INDEX_FILE,
      metric: settings.metric,
      quantization: settings.quantization,
      connectivity: settings.connectivity,
      expansion_add: settings.expansionAdd,
      expansion_search: expansionSearch,
      rerank_factor: settings.rerankFactor,
      count,
      dimension,
      embeddings_sha256: options.embeddingsSha256,
      recall_at_10: recall.recall,
      ...(recallByEf ? { recall_by_ef: recallByEf } : {}),
      recall_queries: recall.queries,
      recall_seed: settings.seed,
    },
    file,
    buildMs,
  };
}

/** The ef a build starts from: the settings' number, or AUTO_EF_UNMEASURED for 'auto' (until recall picks one). */
function settingsEf(settings: SearchIndexSettings): number {
  return typeof settings.expansionSearch === 'number' ? settings.expansionSearch : AUTO_EF_UNMEASURED;
}

/** A new, empty usearch index with these settings (ef: the given one, else settingsEf). */
export function newGraph(usearch: UsearchModule, dimension: number, settings: SearchIndexSettings, ef = settingsEf(settings)): UsearchIndex {
  return new usearch.Index({
    dimensions: dimension,
    metric: settings.metric,
    quantization: settings.quantization,
    connectivity: settings.connectivity,
    expansion_add: settings.expansionAdd,
    expansion_search: ef,
    multi: false,
  });
}

/**
 * Mean recall@k of a search against exact search, with seeded sample rows as queries; each
 * query's own row is left out of both lists, so finding the query itself earns nothing.
 */
export function measureRecall(
  search: RerankedSearch,
  embeddings: Float32Array,
  dimension: number,
  options: { queries: number; seed: number; k?: number; onProgress?: ProgressListener },
): { recall: number; queries: number } {
  return recallAgainst(search, exactTruth(embeddings, dimension, options));
}

/** The recall sample and its exact neighbours (each query's own row left out): computed once, scored against several searches. */
interface RecallTruth {
  rows: number[];
  /** The sample rows' vectors, the queries of every search scored. */
  queries: Float32Array[];
  k: number;
  truth: number[][];
}

/** Exact k nearest of seeded sample rows, their own row left out; the slow half of a recall measurement, with progress. */
function exactTruth(embeddings: Float32Array, dimension: number, options: { queries: number; seed: number; k?: number; onProgress?: ProgressListener }): RecallTruth {
  const count = embeddings.length / dimension;
  const k = Math.min(options.k ?? 10, count - 1);
  const rows = sampleRows(count, Math.min(options.queries, count), options.seed);
  const queries = rows.map((row) => embeddings.subarray(row * dimension, (row + 1) * dimension));
  const truth: number[][] = [];
  if (rows.length === 0 || k < 1) return { rows: [], queries: [], k, truth };
  options.onProgress?.({ stage: 'search', done: 0, total: rows.length, message: `measuring recall@${k} against exact search` });
  // Blocks of 16 queries keep progress moving on large indexes.
  for (let start = 0; start < rows.length; start += 16) {
    const block = rows.slice(start, start + 16);
    const exact = searchExactMany(embeddings, dimension, queries.slice(start, start + 16), k + 1);
    block.forEach((self, offset) => truth.push(exact[offset]!.map((hit) => hit.idx).filter((idx) => idx !== self).slice(0, k)));
    options.onProgress?.({ stage: 'search', done: Math.min(rows.length, start + 16), total: rows.length, message: `measuring recall@${k} against exact search` });
  }
  return { rows, queries, k, truth };
}

/** Mean recall@k of a search against precomputed exact neighbours (1 when there is no sample). */
function recallAgainst(search: RerankedSearch, { rows, queries, k, truth }: RecallTruth): { recall: number; queries: number } {
  if (rows.length === 0) return { recall: 1, queries: 0 };
  let found = 0;
  for (let start = 0; start < rows.length; start += 16) {
    const block = rows.slice(start, start + 16);
    const approximate = search.searchMany(queries.slice(start, start + 16), k + 1);
    block.forEach((self, offset) => {
      const got = new Set(approximate[offset]!.map((hit) => hit.idx).filter((idx) => idx !== self).slice(0, k));
      for (const idx of truth[start + offset]!) if (got.has(idx)) found++;
    });
  }
  return { recall: Math.round((found / (rows.length * k)) * 10_000) / 10_000, queries: rows.length };
}

// A seeded sample of distinct rows (partial Fisher–Yates over the row numbers).
function sampleRows(count: number, size: number, seed: number): number[] {
  const random = createRandom(seed);
  const picked = new Map<number, number>();
  const rows: number[] = [];
  for (let i = 0; i < size; i++) {
    const j = i + Math.floor(random() * (count - i));
    rows.push(picked.get(j) ?? j);
    picked.set(j, picked.get(i) ?? i);
  }
  return rows;
}

function checkSettings(settings: SearchIndexSettings): SearchIndexSettings {
  if (settings.metric !== 'ip' && settings.metric !== 'cos') throw new InvalidInputError(`search index metric must be ip or cos, got ${String(settings.metric)}`);
  if (settings.quantization !== 'f16' && settings.quantization !== 'i8') {
    throw new InvalidInputError(`search index quantization must be f16 or i8, got ${String(settings.quantization)}`);
  }
  for (const key of ['connectivity', 'expansionAdd', 'expansionSearch'] as const) {
    if (key === 'expansionSearch' && settings[key] === 'auto') continue;
    const value = settings[key];
    if (typeof value !== 'number' || !Number.isInteger(value) || value < 2) throw new InvalidInputError(`search index ${key} must be an integer ≥ 2${key === 'expansionSearch' ? " or 'auto'" : ''}, got ${String(value)}`);
  }
  if (!(settings.rerankFactor >= 1)) throw new InvalidInputError(`search index rerankFactor must be ≥ 1, got ${settings.rerankFactor}`);
  if (!Number.isInteger(settings.recallQueries) || settings.recallQueries < 0) {
    throw new InvalidInputError(`search index recallQueries must be a whole number ≥ 0, got ${settings.recallQueries}`);
  }
  return settings;
}

let version: string | undefined;
// usearch's exports map hides its package.json, so it is read from beside the resolved entry point.
async function usearchVersion(): Promise<string> {
  if (version === undefined) {
    try {
      let folder = dirname(createRequire(import.meta.url).resolve('usearch'));
      for (let depth = 0; depth < 5 && version === undefined; depth++, folder = dirname(folder)) {
        const manifest = await readFile(join(folder, 'package.json'), 'utf8').then((text) => JSON.parse(text) as { name?: string; version?: string }).catch(() => undefined);
        if (manifest?.name === 'usearch') version = manifest.version;
      }
    } catch {
      // Not resolvable through require (e.g. an injected module in tests).
    }
    version ??= 'unknown';
  }
  return version;
}
