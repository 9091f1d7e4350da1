import { readFile, mkdtemp, rm, writeFile, copyFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CorpusIndexData, IndexManifest } from '../index-format/corpus-index.js';
import { InvalidIndexError, PluginError } from '../errors.js';
import { loadCorpusIndex } from '../index-format/load-corpus-index.js';
import { searchExactMany } from './search.js';
import { sha256File } from '../index-format/sha256-file.js';
import { writeCorpusIndex } from '../index-format/write-corpus-index.js';
import { buildSearchIndex, SINGLE_THREAD_BUILD_MAX_ROWS } from './build-search-index.js';
import { loadUsearch } from './load-usearch.js';
import { openSearchIndex } from './open-search-index.js';
import { AUTO_ANN_MIN_CHUNKS, selectSearchMode } from './select-search-mode.js';
import { SEARCH_INDEX_FILE } from './search-index-metadata.js';
import { mixtureVectors } from './synthetic-vectors.js';
import { addSearchIndex } from './write-search-index.js';

let folder: string;
beforeAll(async () => {
  folder = await mkdtemp(join(tmpdir(), 'cp-search-'));
});
afterAll(async () => {
  await rm(folder, { recursive: true, force: true });
});

const rowsOf = (data: Float32Array, dimension: number, rows: number[]) => rows.map((row) => data.slice(row * dimension, (row + 1) * dimension));

// Queries near the data but not on it: a data row plus noise, normalized.
function nearbyQueries(data: Float32Array, dimension: number, count: number): Float32Array[] {
  const noise = mixtureVectors(count, dimension, { clusters: 1, spread: 4, seed: 99 });
  return Array.from({ length: count }, (_, q) => {
    const row = (q * 7919) % (data.length / dimension);
    const query = new Float32Array(dimension);
    let norm = 0;
    for (let d = 0; d < dimension; d++) norm += (query[d] = data[row * dimension + d]! + 0.3 * noise[q * dimension + d]!) ** 2;
    return query.map((value) => value / Math.sqrt(norm));
  });
}

describe('HNSW search with exact re-ranking', () => {
  const dimension = 48;
  const data = mixtureVectors(6000, dimension, { clusters: 40, seed: 5 });

  it('finds ≥ 95% of the exact 10 nearest on a seeded mixture, and records its own recall', async () => {
    const built = await buildSearchIndex(data, dimension, { path: join(folder, 'recall.usearch'), embeddingsSha256: 'x', settings: { recallQueries: 300 } });
    expect(built.metadata.count).toBe(6000);
    expect(built.metadata.metric).toBe('ip');
    expect(built.metadata.quantization).toBe('i8');
    // ef chosen automatically: the smallest tried whose recall reaches 0.97, every smaller one short of it.
    const tried = built.metadata.recall_by_ef!;
    expect(tried[0]![0]).toBe(64);
    expect(tried.at(-1)).toEqual([built.metadata.expansion_search, built.metadata.recall_at_10]);
    for (const [, recall] of tried.slice(0, -1)) expect(recall).toBeLessThan(0.97);
    expect(built.metadata.recall_at_10 >= 0.97 || built.metadata.expansion_search === 512).toBe(true);
    expect(built.metadata.recall_queries).toBe(300);
    expect(built.metadata.recall_at_10).toBeGreaterThanOrEqual(0.95);
    expect(built.metadata.recall_at_10).toBeLessThanOrEqual(1);
    expect((await sha256File(join(folder, 'recall.usearch'))).sha256).toBe(built.file.sha256);

    const manifest = fakeManifest('recall.usearch', 6000, dimension, built.metadata, built.file);
    const opened = await openSearchIndex(folder, manifest, data, { verifyChecksums: false });
    const queries = nearbyQueries(data, dimension, 200);
    const exact = searchExactMany(data, dimension, queries, 10);
    const approximate = opened.searchMany(queries, 10);
    let found = 0;
    approximate.forEach((hits, q) => {
      const truth = new Set(exact[q]!.map((hit) => hit.idx));
      found += hits.filter((hit) => truth.has(hit.idx)).length;
    });
    expect(found / (200 * 10)).toBeGreaterThanOrEqual(0.95);
    // A single query gives what the batch gave.
    expect(opened.search(queries[3]!, 10)).toEqual(approximate[3]);
  });

  it('returns the exact distances of the ids it returns, nearest first', async () => {
    const built = await buildSearchIndex(data, dimension, { path: join(folder, 'distances.usearch'), embeddingsSha256: 'x', settings: { recallQueries: 0, quantization: 'i8' } });
    const opened = await openSearchIndex(folder, fakeManifest('distances.usearch', 6000, dimension, built.metadata, built.file), data, { verifyChecksums: false });
    const queries = nearbyQueries(data, dimension, 20);
    const exact = searchExactMany(data, dimension, queries, 25);
    let shared = 0;
    opened.searchMany(queries, 25).forEach((hits, q) => {
      expect(hits).toHaveLength(25);
      const exactDistance = new Map(exact[q]!.map((hit) => [hit.idx, hit.distance]));
      for (const hit of hits) {
        if (!exactDistance.has(hit.idx)) continue;
        shared++;
        expect(hit.distance).toBe(exactDistance.get(hit.idx));
      }
      for (let i = 1; i < hits.length; i++) expect(hits[i]!.distance).toBeGreaterThanOrEqual(hits[i - 1]!.distance);
    });
    expect(shared).toBeGreaterThanOrEqual(0.9 * 20 * 25);
  });

  it('builds the same graph twice up to SINGLE_THREAD_BUILD_MAX_ROWS (one thread), so a small index searches the same after a rebuild', async () => {
    const build = (file: string) => buildSearchIndex(data, dimension, { path: join(folder, file), embeddingsSha256: 'x', settings: { recallQueries: 0 } });
    const [first, second] = [await build('same-1.usearch'), await build('same-2.usearch')];
    expect(data.length / dimension).toBeLessThanOrEqual(SINGLE_THREAD_BUILD_MAX_ROWS);
    expect(second.file.sha256).toBe(first.file.sha256);
  });
});

describe('the HNSW metric', () => {
  const dimension = 32;
  const data = mixtureVectors(3000, dimension, { clusters: 20, seed: 11 });

  it("opens a graph built with 'cos' (indexes from before 'ip' became the default) and finds the same nearest rows", async () => {
    const built = await buildSearchIndex(data, dimension, { path: join(folder, 'cos.usearch'), embeddingsSha256: 'x', settings: { metric: 'cos', recallQueries: 100 } });
    expect(built.metadata.metric).toBe('cos');
    expect(built.metadata.recall_at_10).toBeGreaterThanOrEqual(0.95);
    const opened = await openSearchIndex(folder, fakeManifest('cos.usearch', 3000, dimension, built.metadata, built.file), data, { verifyChecksums: false });
    const queries = nearbyQueries(data, dimension, 50);
    const exact = searchExactMany(data, dimension, queries, 1);
    const agree = opened.searchMany(queries, 1).filter((hits, q) => hits[0]!.idx === exact[q]![0]!.idx).length;
    expect(agree).toBeGreaterThanOrEqual(48);
  });

  it('takes ef as given, or 256 when auto has no recall sample; refuses a bad one', async () => {
    const given = await buildSearchIndex(data, dimension, { path: join(folder, 'ef-given.usearch'), embeddingsSha256: 'x', settings: { expansionSearch: 40, recallQueries: 50 } });
    expect(given.metadata.expansion_search).toBe(40);
    expect(given.metadata.recall_by_ef).toBeUndefined();
    const unmeasured = await buildSearchIndex(data, dimension, { path: join(folder, 'ef-unmeasured.usearch'), embeddingsSha256: 'x', settings: { recallQueries: 0 } });
    expect(unmeasured.metadata.expansion_search).toBe(256);
    expect(unmeasured.metadata.recall_queries).toBe(0);
    const error = await buildSearchIndex(data, dimension, { path: join(folder, 'ef-bad.usearch'), embeddingsSha256: 'x', settings: { expansionSearch: 'fast' as 'auto' } }).catch((e: unknown) => e);
    expect((error as Error).message).toBe("search index expansionSearch must be an integer ≥ 2 or 'auto', got fast");
  });

  it('refuses an unknown metric when building, and a manifest naming one when opening', async () => {
    const error = await buildSearchIndex(data, dimension, { path: join(folder, 'bad.usearch'), embeddingsSha256: 'x', settings: { metric: 'l2sq' as 'ip' } }).catch((e: unknown) => e);
    expect((error as Error).message).toBe('search index metric must be ip or cos, got l2sq');
    const built = await buildSearchIndex(data, dimension, { path: join(folder, 'ip.usearch'), embeddingsSha256: 'x', settings: { recallQueries: 0 } });
    const manifest = fakeManifest('ip.usearch', 3000, dimension, { ...built.metadata, metric: 'hamming' as 'ip' }, built.file);
    const opening = await openSearchIndex(folder, manifest, data, { verifyChecksums: false }).catch((e: unknown) => e);
    expect(InvalidIndexError.isInstance(opening)).toBe(true);
    expect((opening as Error).message).toContain(`search.metric is "hamming"; this version reads 'ip' or 'cos'`);
    expect((opening as Error).message).toContain('build-search');
  });
});

describe('the search index of an index folder', () => {
  const dimension = 16;
  const count = 2000;
  let directory: string;
  beforeAll(async () => {
    directory = join(folder, 'index');
    await writeCorpusIndex(directory, indexData(mixtureVectors(count, dimension, { clusters: 12, seed: 8 }), dimension));
  });

  it('refuses --search ann on an index without one, naming the file and build-search', async () => {
    const error = await loadCorpusIndex(directory, { search: 'ann' }).catch((e: unknown) => e);
    expect(InvalidIndexError.isInstance(error)).toBe(true);
    expect((error as Error).message).toContain(join(directory, SEARCH_INDEX_FILE));
    expect((error as Error).message).toContain(`corpus-proximity build-search --index ${directory}`);
    // auto falls back to exact, and so does the default.
    expect((await loadCorpusIndex(directory, { search: 'auto' })).searchMode).toBe('exact');
  });

  it('is added to an existing index, listed with its checksum, and searched when selected', async () => {
    const before = JSON.parse(await readFile(join(directory, 'manifest.json'), 'utf8')) as IndexManifest;
    const events: string[] = [];
    const result = await addSearchIndex(directory, { onProgress: (event) => events.push(event.stage) });
    expect(events).toContain('search');
    const manifest = JSON.parse(await readFile(join(directory, 'manifest.json'), 'utf8')) as IndexManifest;
    expect(manifest.files[SEARCH_INDEX_FILE]).toEqual(await sha256File(join(directory, SEARCH_INDEX_FILE)));
    expect(manifest.files['stats.json']).toEqual(await sha256File(join(directory, 'stats.json')));
    expect(manifest.files['embeddings.npy']).toEqual(before.files['embeddings.npy']);
    expect(manifest.search?.embeddings_sha256).toBe(before.files['embeddings.npy']!.sha256);
    expect(manifest.search?.count).toBe(count);
    expect(manifest.search?.recall_at_10).toBe(result.metadata.recall_at_10);
    const stats = JSON.parse(await readFile(join(directory, 'stats.json'), 'utf8')) as { search: { recall_at_10: number }; timings: unknown };
    expect(stats.search.recall_at_10).toBeGreaterThanOrEqual(0.95);
    expect(stats.timings).toEqual({ embed: 1 });

    const ann = await loadCorpusIndex(directory, { search: 'ann' });
    const exact = await loadCorpusIndex(directory);
    expect(ann.searchMode).toBe('ann');
    expect(exact.searchMode).toBe('exact');
    const queries = rowsOf(exact.embeddings, dimension, [0, 500, 1999]);
    expect(ann.searchMany(queries, 5).map((hits) => hits[0]!.idx)).toEqual([0, 500, 1999]);
    // Below 100K chunks, auto stays exact even with a search index.
    expect((await loadCorpusIndex(directory, { search: 'auto' })).searchMode).toBe('exact');
  });

  it('says which check failed for a tampered, stale or foreign search file', async () => {
    const path = join(directory, SEARCH_INDEX_FILE);
    const original = await readFile(path);
    const manifestText = await readFile(join(directory, 'manifest.json'), 'utf8');
    const annError = async (options: { verifyChecksums?: boolean } = {}) => {
      const error = await loadCorpusIndex(directory, { search: 'ann', ...options }).catch((e: unknown) => e);
      expect(InvalidIndexError.isInstance(error)).toBe(true);
      expect((error as InvalidIndexError).file).toBe(SEARCH_INDEX_FILE);
      expect((error as Error).message).toContain('build-search');
      return (error as Error).message;
    };
    try {
      const tampered = Buffer.from(original);
      tampered[tampered.length - 5] = tampered[tampered.length - 5]! ^ 0xff;
      await writeFile(path, tampered);
      expect(await annError()).toContain('checksum mismatch');
      // Exact search does not read the search file.
      expect((await loadCorpusIndex(directory)).count).toBe(count);

      await writeFile(path, original.subarray(0, 100));
      expect(await annError()).toMatch(/is 100 bytes but manifest.json says/);
      expect(await annError({ verifyChecksums: false })).toMatch(/usearch could not map it|holds \d+ vectors/);

      await rm(path);
      expect(await annError()).toContain('missing');
      await writeFile(path, original);

      const manifest = JSON.parse(manifestText) as IndexManifest;
      await writeFile(join(directory, 'manifest.json'), JSON.stringify({ ...manifest, search: { ...manifest.search, embeddings_sha256: '0'.repeat(64) } }));
      expect(await annError()).toContain('was built from other embeddings');
      await writeFile(join(directory, 'manifest.json'), JSON.stringify({ ...manifest, search: { ...manifest.search, count: count + 1 } }));
      expect(await annError()).toContain(`was built for ${count + 1} vectors`);

      // A whole, valid usearch file of another index, its checksum patched in: the graph's own count gives it away.
      const other = await buildSearchIndex(mixtureVectors(300, dimension, { seed: 2 }), dimension, { path: join(folder, 'other.usearch'), embeddingsSha256: 'x', settings: { recallQueries: 0 } });
      await copyFile(join(folder, 'other.usearch'), path);
      await writeFile(join(directory, 'manifest.json'), JSON.stringify({ ...manifest, files: { ...manifest.files, [SEARCH_INDEX_FILE]: other.file } }));
      expect(await annError()).toContain(`holds 300 vectors of dimension ${dimension}, but the index has ${count} chunks`);
    } finally {
      await writeFile(path, original);
      await writeFile(join(directory, 'manifest.json'), manifestText);
    }
    expect((await loadCorpusIndex(directory, { search: 'ann' })).searchMode).toBe('ann');
  });
});

describe('search mode selection', () => {
  it('auto picks ann only above 100K chunks and only when a search index exists', () => {
    expect(AUTO_ANN_MIN_CHUNKS).toBe(100_000);
    expect(selectSearchMode('auto', { count: 100_000, hasSearchIndex: true })).toBe('exact');
    expect(selectSearchMode('auto', { count: 100_001, hasSearchIndex: true })).toBe('ann');
    expect(selectSearchMode('auto', { count: 5_000_000, hasSearchIndex: false })).toBe('exact');
    expect(selectSearchMode('ann', { count: 10, hasSearchIndex: false })).toBe('ann');
    expect(selectSearchMode('exact', { count: 5_000_000, hasSearchIndex: true })).toBe('exact');
    expect(() => selectSearchMode('fast' as never, { count: 1, hasSearchIndex: true })).toThrow(/exact, ann or auto/);
  });

  it('a missing usearch module says how to install it', async () => {
    const error = await loadUsearch('usearch-that-is-not-installed').catch((e: unknown) => e);
    expect(PluginError.isInstance(error)).toBe(true);
    expect((error as Error).message).toMatch(/usearch-that-is-not-installed is not installed.*pnpm add usearch/);
  });
});

// Just the manifest fields openSearchIndex reads, for a usearch file written under its own name.
function fakeManifest(name: string, count: number, dimension: number, search: IndexManifest['search'], file: { sha256: string; bytes: number }): IndexManifest {
  return {
    counts: { chunks: count },
    dimension,
    files: { 'embeddings.npy': { sha256: 'x', bytes: 0 }, [name]: file },
    search: { ...search!, file: name },
  } as unknown as IndexManifest;
}

function indexData(embeddings: Float32Array, dimension: number): CorpusIndexData {
  const count = embeddings.length / dimension;
  return {
    chunks: Array.from({ length: count }, (_, i) => `chunk ${i}`),
    metadata: Array.from({ length: count }, (_, i) => ({ source: 'a.txt', shard_id: 0, chunk_id: i, corpus_stage: 'pretrain', char_start: 0, char_end: 1 })),
    embeddings,
    dimension,
    tree: { cluster_id: '0', name: 'root', depth: 0, size: count, silhouette: null, split_silhouette: null, noise_count: 0, samples: [0], centroid_row: 0, children: [] },
    centroids: new Float32Array(dimension),
    assignment: { clusters: Array.from({ length: count }, () => '0'), noise: [] },
    stats: { timings: { embed: 1 } },
    config: { seed: 42 },
    embedder: { provider: 'mock', modelId: 'tiny', dimensions: dimension },
    documents: count,
    sources: 1,
  };
}
