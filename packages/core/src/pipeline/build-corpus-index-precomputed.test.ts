import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { encodeNpy } from '../index-format/encode-npy.js';
import { InvalidInputError } from '../errors.js';
import { loadCorpusIndex } from '../index-format/load-corpus-index.js';
import { createMockClusterer, createMockEmbedder, createMockNamer, hashEmbed } from '../test/index.js';
import { buildCorpusIndex } from './build-corpus-index.js';

const work = mkdtempSync(join(tmpdir(), 'cp-precomputed-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

const topics = ['sparrow robin wing feather nest', 'flour dough yeast oven bake', 'court judge lawyer trial verdict'];
const texts = Array.from({ length: 150 }, (_, i) => `${topics[i % 3]} ${i}`);

// Rows scaled by 3 (not unit length) unless `scale` says otherwise; `edit` may damage them.
function writeFiles(name: string, options: { rows?: number; scale?: number; edit?: (data: Float32Array) => void; chunkLines?: string[] } = {}) {
  const rows = options.rows ?? texts.length;
  const data = new Float32Array(rows * 8);
  for (let row = 0; row < rows; row++) data.set(hashEmbed(texts[row % texts.length]!, 8).map((x) => x * (options.scale ?? 3)), row * 8);
  options.edit?.(data);
  const embeddings = join(work, `${name}.npy`);
  const chunks = join(work, `${name}.jsonl`);
  writeFileSync(embeddings, encodeNpy(data, [rows, 8]));
  writeFileSync(chunks, `${(options.chunkLines ?? texts.map((text, idx) => JSON.stringify({ idx, text, source: 'wiki.jsonl', corpus_stage: 'midtrain', url: `u${idx}` }))).join('\n')}\n`);
  return { embeddings, chunks };
}

const plugins = { clusterer: createMockClusterer(), namer: createMockNamer() };

describe('buildCorpusIndex with precomputed embeddings', () => {
  it('skips reading and embedding, normalizes rows with a warning, and records a precomputed embedder', async () => {
    const output = join(work, 'index');
    const warnings: string[] = [];
    const { stats } = await buildCorpusIndex({
      output,
      ...plugins,
      precomputed: { ...writeFiles('good'), modelId: 'BAAI/bge-m3' },
      onWarning: (message) => warnings.push(message),
    });
    expect(warnings).toEqual([expect.stringMatching(/normalized 150 of 150 rows of .*good\.npy to unit length/)]);
    expect(stats.embedding).toEqual({ embedded: 0, reused_from_cache: 0, precomputed: 150 });
    const index = await loadCorpusIndex(output);
    expect(index.manifest.embedder).toMatchObject({ id: 'precomputed:BAAI/bge-m3', provider: 'precomputed', dimensions: 8 });
    // No embedder to embed sentences with: calibrated chunk to chunk, and it says so.
    expect(index.calibration?.method).toBe('chunk-to-chunk');
    expect(index.calibration?.samples).toBeGreaterThan(100);
    expect(index.metadata[4]).toMatchObject({ source: 'wiki.jsonl', corpus_stage: 'midtrain', url: 'u4', chunk_id: 4 });
    expect(index.chunks[4]).toBe(texts[4]);
    const own = index.embeddings.subarray(4 * 8, 5 * 8);
    expect(Math.hypot(...own)).toBeCloseTo(1, 5);
    expect(index.search(own, 1)[0]!.idx).toBe(4);
    expect(index.config).toMatchObject({ precomputed: { embeddings: join(work, 'good.npy') }, chunking: null });
  });

  it('records the embedder that made them, so queries can be embedded later', async () => {
    const output = join(work, 'with-embedder');
    await buildCorpusIndex({ output, ...plugins, embedder: createMockEmbedder({ dimensions: 8 }), precomputed: writeFiles('unit', { scale: 1 }), onWarning: (message) => expect.fail(message) });
    expect((await loadCorpusIndex(output)).manifest.embedder.id).toBe('mock:hashing-8');
  });

  it('refuses mismatched rows, dimensions, non-finite values, zero rows and out-of-order chunks', async () => {
    const attempt = (files: { embeddings: string; chunks: string }, dimensions?: number) =>
      buildCorpusIndex({ output: join(work, 'bad'), ...plugins, precomputed: files, ...(dimensions ? { embedder: createMockEmbedder({ dimensions }) } : {}) });
    await expect(attempt(writeFiles('rows', { rows: 149 }))).rejects.toThrow(/has 149 rows but .*rows\.jsonl has 150 chunks/);
    await expect(attempt(writeFiles('dims'), 16)).rejects.toThrow(/has 8 dimensions but the embedder makes 16/);
    await expect(attempt(writeFiles('nan', { edit: (data) => (data[7 * 8 + 2] = Number.NaN) }))).rejects.toThrow(/row 7 has a non-finite value \(NaN\) at dimension 2/);
    await expect(attempt(writeFiles('zero', { edit: (data) => data.fill(0, 8, 16) }))).rejects.toThrow(/row 1 is all zeros/);
    const swapped = texts.map((text, idx) => JSON.stringify({ idx: idx === 3 ? 4 : idx, text }));
    await expect(attempt(writeFiles('order', { chunkLines: swapped }))).rejects.toThrow(InvalidInputError);
    await expect(attempt(writeFiles('order2', { chunkLines: swapped }))).rejects.toThrow(/order2\.jsonl:4: "idx" is 4 but this is chunk 3/);
    const fitted = { ...createMockEmbedder({ dimensions: 8 }), doFit: async () => undefined };
    await expect(buildCorpusIndex({ output: join(work, 'bad'), ...plugins, embedder: fitted, precomputed: writeFiles('fit') })).rejects.toThrow(/fitted on the corpus/);
  });
});

describe('buildCorpusIndex and the HNSW search index', () => {
  it('builds search.usearch at index time when asked, with progress, and leaves it out by default below 100K chunks', async () => {
    const output = join(work, 'with-search');
    const stages: Array<{ stage: string; message?: string }> = [];
    const { index, stats, log } = await buildCorpusIndex({
      output,
      ...plugins,
      precomputed: writeFiles('search', { scale: 1 }),
      searchIndex: 'always',
      onProgress: (event) => stages.push({ stage: event.stage, message: event.message }),
    });
    expect(stages).toContainEqual({ stage: 'search', message: 'building the HNSW search index' });
    expect(index.manifest.search).toMatchObject({ kind: 'hnsw', count: 150, dimension: 8, quantization: 'i8', embeddings_sha256: index.manifest.files['embeddings.npy']!.sha256 });
    expect(stats.search).toMatchObject({ recall_at_10: index.manifest.search!.recall_at_10 });
    expect(log.timings_ms.search).toBeGreaterThanOrEqual(0);
    const loaded = await loadCorpusIndex(output, { search: 'ann' });
    expect(loaded.searchMode).toBe('ann');
    expect(loaded.stats).toEqual(stats);

    const plain = join(work, 'without-search');
    const built = await buildCorpusIndex({ output: plain, ...plugins, precomputed: writeFiles('plain', { scale: 1 }) });
    expect(built.index.manifest.search).toBeUndefined();
    expect(Object.keys(built.index.manifest.files)).not.toContain('search.usearch');
  });
});
