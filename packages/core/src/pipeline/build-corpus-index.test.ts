import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { AbortedError, PluginError } from '../errors.js';
import { loadCorpusIndex } from '../index-format/load-corpus-index.js';
import { createMockClusterer, createMockEmbedder, createMockNamer } from '../test/index.js';
import type { EmbedderV1 } from '../specs.js';
import type { ProgressEvent } from '../types.js';
import { buildCorpusIndex } from './build-corpus-index.js';

const work = mkdtempSync(join(tmpdir(), 'cp-pipeline-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

const topics = {
  birds: 'sparrow robin wing feather nest beak flight song egg',
  bread: 'flour dough yeast oven bake crust loaf knead butter',
  law: 'court judge lawyer trial verdict statute appeal jury contract',
};

function writeCorpus(): string {
  const lines: string[] = [];
  let i = 0;
  for (const [topic, words] of Object.entries(topics)) {
    const vocabulary = words.split(' ');
    for (let n = 0; n < 80; n++, i++) {
      const text = Array.from({ length: 6 }, (_, w) => vocabulary[(n * 7 + w * 3) % vocabulary.length]).join(' ');
      lines.push(JSON.stringify({ text: `${text} ${topic}`, topic, id: i }));
    }
  }
  const file = join(work, 'corpus.jsonl');
  writeFileSync(file, lines.join('\n') + '\n');
  return file;
}

describe('buildCorpusIndex', () => {
  it('composes reader, chunker, embedder, clusterer and namer into a loadable index', async () => {
    const file = writeCorpus();
    const events: ProgressEvent[] = [];
    const output = join(work, 'index');
    const { index, stats } = await buildCorpusIndex({
      inputs: [{ path: file, stage: 'sft' }],
      output,
      embedder: createMockEmbedder({ dimensions: 32 }),
      clusterer: createMockClusterer(),
      namer: createMockNamer(),
      onProgress: (event) => events.push(event),
    });
    expect(index.count).toBe(240);
    expect(stats.chunks).toBe(240);
    expect(index.tree.children.length).toBeGreaterThanOrEqual(2);
    for (const child of index.tree.children) expect(child.name).toMatch(/^Mock /);
    expect(new Set(events.map((event) => event.stage))).toEqual(new Set(['read', 'embed', 'cluster', 'name', 'calibrate', 'write']));
    const embedEvents = events.filter((event) => event.stage === 'embed');
    expect(embedEvents.at(-1)).toMatchObject({ done: 240, total: 240 });

    const loaded = await loadCorpusIndex(output);
    expect(loaded.metadata[0]).toMatchObject({ corpus_stage: 'sft', topic: 'birds', line: 1, shard_id: 0 });
    expect(loaded.assignment.clusters).toHaveLength(240);
    const config = JSON.parse(readFileSync(join(output, 'config.json'), 'utf8'));
    expect(config).toMatchObject({ seed: 42, clusterer: 'mock-kmeans', namer: 'mock' });
    // A chunk searched with its own vector is its own nearest neighbour.
    const hit = loaded.search(loaded.embeddings.subarray(5 * loaded.dimension, 6 * loaded.dimension), 1)[0]!;
    expect(hit.distance).toBeLessThan(1e-5);
  });

  it('keeps only the first maxChunks chunks and says so', async () => {
    const warnings: string[] = [];
    const { index } = await buildCorpusIndex({
      inputs: [{ path: writeCorpus() }],
      output: join(work, 'small'),
      embedder: createMockEmbedder({ dimensions: 16 }),
      clusterer: createMockClusterer(),
      namer: createMockNamer(),
      maxChunks: 100,
      onWarning: (message) => warnings.push(message),
    });
    expect(index.count).toBe(100);
    expect(warnings.join('\n')).toContain('first 100 of 240');
  });

  it('stops with a PluginError naming the row when an embedder returns a bad vector', async () => {
    const broken: EmbedderV1 = {
      ...createMockEmbedder({ dimensions: 8 }),
      async doEmbed({ values }) {
        return { embeddings: values.map((_, i) => (i === 3 ? new Float32Array(8).fill(Number.NaN) : Float32Array.from({ length: 8 }, (_, d) => (d === 0 ? 1 : 0)))) };
      },
    };
    await expect(
      buildCorpusIndex({ inputs: [{ path: writeCorpus() }], output: join(work, 'broken'), embedder: broken, clusterer: createMockClusterer(), namer: createMockNamer() }),
    ).rejects.toThrow(PluginError);
    await expect(loadCorpusIndex(join(work, 'broken'))).rejects.toThrow();
  });

  it('names the corpus row of a bad vector when embedding resumes past a checkpoint', async () => {
    const file = writeCorpus();
    const output = join(work, 'bad-after-resume');
    const lines = readFileSync(file, 'utf8').trim().split('\n');
    const badText = JSON.parse(lines[130]!).text as string;
    let failing = false;
    const mock = createMockEmbedder({ dimensions: 8 });
    const embedder: EmbedderV1 = {
      ...mock,
      async doEmbed(request) {
        const { embeddings } = await mock.doEmbed(request);
        return { embeddings: embeddings.map((vector, i) => (failing && request.values[i] === badText ? vector.map(() => Number.NaN) : vector)) };
      },
    };
    const run = (controller = new AbortController()) =>
      buildCorpusIndex({
        inputs: [{ path: file }],
        output,
        embedder,
        clusterer: createMockClusterer(),
        namer: createMockNamer(),
        checkpointEvery: 50,
        cacheDirectory: false,
        abortSignal: controller.signal,
        onProgress: (event) => event.message?.startsWith('checkpoint shard_00001') && controller.abort(),
      });
    // Interrupted after two shards (rows 0–99); the resumed run embeds from row 100 on.
    await expect(run()).rejects.toThrow(AbortedError);
    failing = true;
    const expectedRow = lines.findIndex((line, row) => row >= 100 && JSON.parse(line).text === badText);
    await expect(run()).rejects.toThrow(new RegExp(`vector for row ${expectedRow} has a non-finite value`));
    expect(JSON.parse(readFileSync(join(output, '.work', 'progress.json'), 'utf8')).rows_done).toBe(100);
    await expect(buildCorpusIndex({ inputs: [{ path: file }], output, embedder, clusterer: createMockClusterer(), namer: createMockNamer(), checkpointEvery: 0 })).rejects.toThrow(
      /checkpointEvery must be a positive whole number/,
    );
  });
});
