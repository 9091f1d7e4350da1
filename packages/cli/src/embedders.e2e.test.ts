import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadCorpusIndex } from '@corpus-proximity/core';
import { encodeNpy } from '@corpus-proximity/core/internal';
import { createOnnxEmbedder } from '@corpus-proximity/embedders';
import { runCli } from './test-support/run-cli.js';

const work = mkdtempSync(join(tmpdir(), 'cp-embedders-'));
const model = join(work, 'tiny-bert');
const corpus = join(work, 'corpus.jsonl');
const config = join(work, 'config.json');
const topics = ['the bird has feathers and a wing and a nest', 'bake the bread dough in a hot oven', 'the judge heard the lawyer in court'];

beforeAll(async () => {
  const lines = Array.from({ length: 240 }, (_, i) => JSON.stringify({ text: `${topics[i % 3]} number ${i % 11}` }));
  writeFileSync(corpus, lines.join('\n'));
  writeFileSync(config, JSON.stringify({ clustering: { maxDepth: 1 }, umap: { nComponents: 4 } }));
  const written = await runCli(['tiny-model', '--out', model]);
  expect(written.code).toBe(0);
}, 120_000);

afterAll(() => rmSync(work, { recursive: true, force: true }));

describe('index with other embedders', () => {
  it('indexes and annotates through the real ONNX path with a local model folder', async () => {
    const output = join(work, 'onnx-index');
    const built = await runCli(['index', corpus, '--output', output, '--config', config, '--embedder', `onnx:${model}`, '--batch-size', '16', '--keep-duplicates', '--yes', '-q']);
    expect(built.stderr).toContain('index written');
    const manifest = JSON.parse(readFileSync(join(output, 'manifest.json'), 'utf8'));
    expect(manifest.embedder.provider).toBe('onnx');
    const annotated = await runCli(['annotate', '-', '--index', output, '--format', 'json', '--yes', '-q'], { input: `${JSON.stringify({ output: topics[1] })}\n` });
    expect(annotated.stderr).toBe('');
    expect(annotated.code).toBe(0);
    const result = JSON.parse(annotated.stdout);
    expect(result.annotation_metadata.embedder_id).toBe(manifest.embedder.id);
    expect(result.annotations[0].distance).toBeLessThan(0.2);
  });

  it('cuts long documents into token windows of the model\'s own tokenizer (--chunking tokens)', async () => {
    const folder = join(work, 'long-docs');
    const words = topics.join(' ').split(' ');
    const long = Array.from({ length: 1500 }, (_, i) => words[(i * 7) % words.length]).join(' ');
    execFileSync('mkdir', ['-p', folder]);
    writeFileSync(join(folder, 'a.txt'), long);
    writeFileSync(join(folder, 'b.txt'), long.split(' ').reverse().join(' '));
    const output = join(work, 'token-index');
    // The periodic synthetic text repeats whole windows; keep them so consecutive windows stay consecutive.
    const built = await runCli(['index', folder, '--output', output, '--config', config, '--embedder', `onnx:${model}`, '--chunking', 'tokens', '--keep-duplicates', '--yes', '-q']);
    expect(built.stderr).toContain('index written');
    const index = await loadCorpusIndex(output);
    const tokenizer = createOnnxEmbedder({ model, device: 'cpu' });
    await tokenizer.load();
    const perDocument = Math.ceil(tokenizer.countTokens!(long) / 510);
    expect(index.count).toBeGreaterThanOrEqual(2 * perDocument);
    index.metadata.forEach((meta, i) => {
      const source = readFileSync(meta.source, 'utf8');
      expect(source.slice(meta.char_start, meta.char_end)).toBe(index.chunks[i]);
      expect(tokenizer.countTokens!(index.chunks[i]!)).toBeLessThanOrEqual(510);
      const next = index.metadata[i + 1];
      // Consecutive windows of one document overlap.
      if (next && next.source === meta.source) expect(next.char_start).toBeLessThan(meta.char_end);
    });
    await tokenizer.dispose();
  });

  it('refuses --device cuda without CUDA libraries with a message that says how to install them', async () => {
    const result = await runCli(['index', corpus, '--output', join(work, 'cuda-index'), '--embedder', `onnx:${model}`, '--device', 'cuda', '--yes', '-q']);
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/cuda/i);
    expect(result.stderr).toMatch(/ONNXRUNTIME_NODE_INSTALL|install/i);
  });

  it('builds from embeddings a user already has (--embeddings/--chunks) and fits on a sample (--fit-sample)', async () => {
    const rows = 600;
    const dimension = 8;
    const data = new Float32Array(rows * dimension);
    for (let row = 0; row < rows; row++) {
      const blob = row % 3;
      for (let d = 0; d < dimension; d++) data[row * dimension + d] = (d % 3 === blob ? 1 : 0) + 0.05 * Math.sin(row * 7 + d * 13);
    }
    writeFileSync(join(work, 'emb.npy'), encodeNpy(data, [rows, dimension], 'float32'));
    writeFileSync(join(work, 'chunks.jsonl'), Array.from({ length: rows }, (_, row) => JSON.stringify({ idx: row, text: `${topics[row % 3]} ${row}` })).join('\n'));
    const output = join(work, 'precomputed-index');
    const built = await runCli(['index', '--embeddings', join(work, 'emb.npy'), '--chunks', join(work, 'chunks.jsonl'), '--output', output, '--config', config, '--fit-sample', '300', '--yes', '-q']);
    expect(built.stderr).toContain('index written');
    const index = await loadCorpusIndex(output);
    expect(index.count).toBe(rows);
    expect(index.dimension).toBe(dimension);
    expect(index.tree.children.length).toBeGreaterThanOrEqual(2);
    expect(index.assignment.clusters).toHaveLength(rows);
    // the index says the tree was fitted on the sample and the rest routed
    const stats = JSON.parse(readFileSync(join(output, 'stats.json'), 'utf8')) as { fitted_chunks: number; routed_chunks: number };
    expect(stats).toMatchObject({ fitted_chunks: 300, routed_chunks: rows - 300 });
    const printed = execFileSync('/usr/bin/python3', ['-c', 'import numpy,sys; a=numpy.load(sys.argv[1]); print(a.shape)', join(output, 'embeddings.npy')], { encoding: 'utf8' });
    expect(printed.trim()).toBe(`(${rows}, ${dimension})`);
    const mismatched = await runCli(['index', '--embeddings', join(work, 'emb.npy'), '--output', join(work, 'x'), '--yes']);
    expect(mismatched.code).toBe(2);
    expect(mismatched.stderr).toContain('--chunks');
  });
});
