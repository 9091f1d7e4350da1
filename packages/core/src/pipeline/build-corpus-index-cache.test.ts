import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { createRandom } from '../random.js';
import type { EmbedderV1 } from '../specs.js';
import { createMockClusterer, createMockEmbedder, createMockNamer, hashEmbed } from '../test/index.js';
import { buildCorpusIndex, type BuildCorpusIndexOptions } from './build-corpus-index.js';

const work = mkdtempSync(join(tmpdir(), 'cp-cache-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

function writeCorpus(name: string, count: number): string {
  const words = ['sparrow robin wing feather nest beak', 'flour dough yeast oven bake crust', 'court judge lawyer trial verdict statute'];
  const lines = Array.from({ length: count }, (_, i) => {
    const vocabulary = words[i % 3]!.split(' ');
    return JSON.stringify({ text: `${Array.from({ length: 5 }, (_, w) => vocabulary[(i * 5 + w * 7) % vocabulary.length]).join(' ')} ${i % 17} n${i}` });
  });
  const file = join(work, name);
  writeFileSync(file, `${lines.join('\n')}\n`);
  return file;
}
const corpus = writeCorpus('corpus.jsonl', 240);

// A corpus-fitted embedder: doFit draws a seeded sign per dimension, so another seed means another space.
function createFittedEmbedder(options: { failAfterCalls?: number } = {}): EmbedderV1 & { calls: number } {
  let signs: number[] | undefined;
  const embedder = {
    specificationVersion: 'embedder-v1' as const,
    provider: 'fitted',
    modelId: 'signs-16',
    dimensions: 16,
    maxTokens: 1000,
    maxEmbeddingsPerCall: 16,
    calls: 0,
    async doFit({ seed }: { seed: number }) {
      const random = createRandom(seed);
      signs = Array.from({ length: 16 }, () => (random() < 0.5 ? -1 : 1));
    },
    exportState: () => ({ settings: { fitted: true }, files: { 'signs.json': new TextEncoder().encode(JSON.stringify(signs)) } }),
    async doEmbed({ values }: { values: string[] }) {
      if (signs === undefined) throw new Error('not fitted');
      if (options.failAfterCalls !== undefined && embedder.calls >= options.failAfterCalls) throw new Error('simulated crash');
      embedder.calls++;
      return { embeddings: values.map((value) => hashEmbed(value, 16).map((x, d) => x * signs![d]!)) };
    },
  };
  return embedder;
}

function options(output: string, overrides: Partial<BuildCorpusIndexOptions> = {}): BuildCorpusIndexOptions {
  return {
    inputs: [{ path: corpus }],
    output,
    embedder: createMockEmbedder({ dimensions: 16 }),
    clusterer: createMockClusterer(),
    namer: createMockNamer(),
    checkpointEvery: 50,
    createdAt: '2026-01-01T00:00:00.000Z',
    ...overrides,
  };
}

describe('buildCorpusIndex embedding cache', () => {
  it('reuses every embedding when only clustering settings change, and says so', async () => {
    const output = join(work, 'rebuild');
    const first = await buildCorpusIndex(options(output, { keepCache: true }));
    expect(first.stats.embedding).toEqual({ embedded: 240, reused_from_cache: 0 });
    expect(existsSync(join(output, '.work', 'cache'))).toBe(true);
    expect(existsSync(join(output, '.work', 'embeddings'))).toBe(false);
    expect(JSON.parse(readFileSync(join(output, 'stats.json'), 'utf8'))).not.toHaveProperty('timings_ms');
    expect(JSON.parse(readFileSync(join(output, 'build-log.json'), 'utf8')).timings_ms).toHaveProperty('embed');

    const embedder = createMockEmbedder({ dimensions: 16 });
    const messages: string[] = [];
    const second = await buildCorpusIndex(
      options(output, { embedder, keepCache: true, clustering: { maxDepth: 1 }, onProgress: (event) => event.message && messages.push(event.message) }),
    );
    // Only the calibration's held-out sentences are embedded (as queries); no chunk is.
    expect(embedder.calls.filter((call) => call.inputType === 'document')).toHaveLength(0);
    expect(second.stats.embedding).toEqual({ embedded: 0, reused_from_cache: 240 });
    expect(messages).toContain('reused 240 cached embeddings, embedded 0 (of 240 chunks)');
    expect(Buffer.from(second.index.embeddings.buffer).equals(Buffer.from(first.index.embeddings.buffer))).toBe(true);
    expect(JSON.parse(readFileSync(join(output, 'stats.json'), 'utf8')).embedding).toEqual({ embedded: 0, reused_from_cache: 240 });
  });

  it('shares a cache folder between outputs and embeds only new chunk texts', async () => {
    const cacheDirectory = join(work, 'user-cache');
    await buildCorpusIndex(options(join(work, 'a'), { cacheDirectory, maxChunks: 100 }));
    const embedder = createMockEmbedder({ dimensions: 16 });
    const { stats } = await buildCorpusIndex(options(join(work, 'b'), { cacheDirectory, embedder }));
    expect(stats.embedding).toEqual({ embedded: 140, reused_from_cache: 100 });
    expect(embedder.calls.filter((call) => call.inputType === 'document').flatMap((call) => call.values)).toHaveLength(140);
    // Another model, another chunking or no cache at all: nothing is reused.
    for (const overrides of [
      { embedder: createMockEmbedder({ dimensions: 16, modelId: 'other' }) },
      { chunking: { maxChars: 1000 } },
      { cacheDirectory: false as const },
    ]) {
      const result = await buildCorpusIndex(options(join(work, 'c'), { cacheDirectory, ...overrides }));
      expect(result.stats.embedding).toEqual({ embedded: 240, reused_from_cache: 0 });
    }
  });

  it('refits a corpus-fitted embedder deterministically: same seed reuses rows, another seed re-embeds', async () => {
    const cacheDirectory = join(work, 'fitted-cache');
    await buildCorpusIndex(options(join(work, 'fit-1'), { cacheDirectory, embedder: createFittedEmbedder(), seed: 1 }));
    const same = await buildCorpusIndex(options(join(work, 'fit-2'), { cacheDirectory, embedder: createFittedEmbedder(), seed: 1 }));
    expect(same.stats.embedding).toEqual({ embedded: 0, reused_from_cache: 240 });
    const other = await buildCorpusIndex(options(join(work, 'fit-3'), { cacheDirectory, embedder: createFittedEmbedder(), seed: 2 }));
    expect(other.stats.embedding).toEqual({ embedded: 240, reused_from_cache: 0 });
  });
});

describe('the embedding cache is checked and dropped (issue 14 item 4)', () => {
  it('drops the default cache of a finished index unless keepCache', async () => {
    const output = join(work, 'dropped');
    await buildCorpusIndex(options(output));
    expect(existsSync(join(output, '.work'))).toBe(false);
  });

  it('discards a corrupted entry with a message and embeds its rows again, giving the same index', async () => {
    const output = join(work, 'corrupt');
    const first = await buildCorpusIndex(options(output, { keepCache: true }));
    const [folder] = readdirSync(join(output, '.work', 'cache'));
    const entry = join(output, '.work', 'cache', folder!);
    const npy = readdirSync(entry).find((name) => name.endsWith('.npy'))!;
    // Swap two rows: norms stay 1, so only a checksum can tell.
    const bytes = readFileSync(join(entry, npy));
    const header = bytes.length - 240 * 16 * 4;
    const row0 = Buffer.from(bytes.subarray(header, header + 64));
    bytes.copy(bytes, header, header + 64, header + 128);
    row0.copy(bytes, header + 64);
    writeFileSync(join(entry, npy), bytes);
    const warnings: string[] = [];
    const embedder = createMockEmbedder({ dimensions: 16 });
    const second = await buildCorpusIndex(options(output, { embedder, keepCache: true, onWarning: (message) => warnings.push(message) }));
    expect(warnings.join('\n')).toMatch(/discarded embedding cache entry .*checksum mismatch.*embedded again/);
    expect(second.stats.embedding).toEqual({ embedded: 240, reused_from_cache: 0 });
    expect(Buffer.from(second.index.embeddings.buffer).equals(Buffer.from(first.index.embeddings.buffer))).toBe(true);
    // The rewritten entry is good again.
    const third = await buildCorpusIndex(options(output, { keepCache: true }));
    expect(third.stats.embedding).toEqual({ embedded: 0, reused_from_cache: 240 });
  });
});

describe('buildCorpusIndex resume with a corpus-fitted embedder', () => {
  it('resumes when the refit gives the same state, and starts over when it does not', async () => {
    const uninterrupted = await buildCorpusIndex(options(join(work, 'fit-baseline'), { embedder: createFittedEmbedder(), seed: 7 }));
    const output = join(work, 'fit-resume');
    await expect(buildCorpusIndex(options(output, { embedder: createFittedEmbedder({ failAfterCalls: 8 }), seed: 7 }))).rejects.toThrow('simulated crash');
    const progress = JSON.parse(readFileSync(join(output, '.work', 'progress.json'), 'utf8'));
    expect(progress.rows_done).toBe(100);

    const warnings: string[] = [];
    const resumed = await buildCorpusIndex(options(output, { embedder: createFittedEmbedder(), seed: 7, onWarning: (message) => warnings.push(message) }));
    expect(warnings).toEqual([]);
    expect(resumed.log.embedding.resumed_from_checkpoint).toBe(100);
    expect(readFileSync(join(output, 'embeddings.npy')).equals(readFileSync(join(work, 'fit-baseline', 'embeddings.npy')))).toBe(true);
    expect(readFileSync(join(output, 'manifest.json')).equals(readFileSync(join(work, 'fit-baseline', 'manifest.json')))).toBe(true);
    expect(resumed.stats).toEqual(uninterrupted.stats);

    const refit = join(work, 'fit-refit');
    await expect(buildCorpusIndex(options(refit, { embedder: createFittedEmbedder({ failAfterCalls: 8 }), seed: 7 }))).rejects.toThrow('simulated crash');
    const restarted = await buildCorpusIndex(options(refit, { embedder: createFittedEmbedder(), seed: 8, onWarning: (message) => warnings.push(message) }));
    expect(warnings.join('\n')).toMatch(/an embedder in another state.*starting the embedding over/);
    expect(restarted.log.embedding.resumed_from_checkpoint).toBe(0);
  });
});
