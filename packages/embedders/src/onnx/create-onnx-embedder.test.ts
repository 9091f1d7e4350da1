import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AbortedError } from '@corpus-proximity/core';
import { testEmbedder } from '@corpus-proximity/core/test';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTokenWindowSplitter } from '@corpus-proximity/core';
import { embedderFromManifest } from '../embedder-from-manifest.js';
import { createArcticEmbedder, ARCTIC_QUERY_PREFIX } from './create-arctic-embedder.js';
import { nvidiaGpuPresent } from './cuda-availability.js';
import { createOnnxEmbedder } from './create-onnx-embedder.js';
import { importTransformers } from './load-transformers.js';
import { writeTinyBertModel } from './write-tiny-bert-model.js';

const root = await mkdtemp(join(tmpdir(), 'cp-onnx-'));
const modelDir = join(root, 'tiny-org', 'tiny-bert');
const noNetwork = (input: string | URL): Promise<never> => {
  throw new Error(`network access attempted: ${String(input)}`);
};
const cpu = { device: 'cpu' as const, fetch: noNetwork };
const dot = (a: Float32Array, b: Float32Array) => a.reduce((sum, value, i) => sum + value * b[i]!, 0);

beforeAll(async () => {
  await writeTinyBertModel(modelDir, { dtypes: ['fp32', 'q8'], vocab: ['market', 'stocks'] });
  await writeTinyBertModel(join(root, 'q8-only'), { dtypes: ['q8'] });
  // Prove that nothing goes to the network, whatever the settings say.
  (await importTransformers('test')).env.fetch = noNetwork;
});
afterAll(() => rm(root, { recursive: true, force: true }));

testEmbedder('onnx (tiny BERT, real transformers.js + onnxruntime-node)', () => createOnnxEmbedder({ model: modelDir, ...cpu }));

describe('createOnnxEmbedder', () => {
  it('loads a local folder on the CPU and knows its size and tokenizer', async () => {
    const embedder = createOnnxEmbedder({ model: modelDir, ...cpu });
    expect([embedder.provider, embedder.modelId, embedder.dimensions, embedder.maxTokens]).toEqual(['onnx', 'tiny-bert', 32, 510]);
    expect(() => embedder.countTokens('the cat')).toThrow(/await embedder\.load\(\)/);
    await embedder.load();
    expect(embedder.device).toBe('cpu');
    expect(embedder.countTokens('the cat')).toBe(2);
    expect(embedder.countTokens('zebra')).toBe(5); // unknown word: one piece per letter
    await embedder.dispose();
  });

  it('prefixes queries only, so a query equals the prefixed document', async () => {
    const embedder = createOnnxEmbedder({ model: modelDir, queryPrefix: 'query: ', ...cpu });
    const [query] = (await embedder.doEmbed({ values: ['the cat sat'], inputType: 'query' })).embeddings;
    const [document, prefixed] = (await embedder.doEmbed({ values: ['the cat sat', 'query: the cat sat'], inputType: 'document' })).embeddings;
    expect(dot(query!, prefixed!)).toBeCloseTo(1, 5);
    expect(dot(query!, document!)).toBeLessThan(0.9999);
  });

  it('finds a hub id under localModelPath without the network and agrees with the folder', async () => {
    const byId = createOnnxEmbedder({ model: 'tiny-org/tiny-bert', localModelPath: root, allowRemoteModels: false, ...cpu });
    expect(byId.modelId).toBe('tiny-org/tiny-bert');
    const byPath = createOnnxEmbedder({ model: modelDir, ...cpu });
    const texts = ['stocks fell as the market sat still', ''];
    expect((await byId.doEmbed({ values: texts, inputType: 'document' })).embeddings).toEqual((await byPath.doEmbed({ values: texts, inputType: 'document' })).embeddings);
  });

  it('says what is missing: remote models refused, network blocked, wrong dtype file', async () => {
    await expect(createOnnxEmbedder({ model: 'nobody/nothing', localModelPath: root, allowRemoteModels: false, ...cpu }).load()).rejects.toThrow(
      /nobody\/nothing is not in localModelPath .*allowRemoteModels is false/,
    );
    await expect(createOnnxEmbedder({ model: 'nobody/nothing', ...cpu }).load()).rejects.toThrow(/nobody\/nothing .*network access attempted.*looked up on the Hugging Face Hub/);
    await expect(createOnnxEmbedder({ model: join(root, 'q8-only'), ...cpu }).load()).rejects.toThrow(/lacks onnx\/model\.onnx \(onnx\/ has model_quantized\.onnx; dtype fp32/);
    const q8 = createOnnxEmbedder({ model: join(root, 'q8-only'), dtype: 'q8', ...cpu });
    expect((await q8.doEmbed({ values: ['a'], inputType: 'query' })).embeddings[0]).toHaveLength(32);
    await expect(createOnnxEmbedder({ model: modelDir, dimensions: 64, ...cpu }).load()).rejects.toThrow(/hidden size 32, but dimensions 64/);
    await expect(createOnnxEmbedder({ model: join(root, 'absent'), ...cpu }).load()).rejects.toThrow(/lacks config\.json/);
  });

  it('says which inputs and outputs a BERT-like model needs when a model has others', async () => {
    const odd = join(root, 'odd-output');
    await writeTinyBertModel(odd, { outputName: 'pooled_output' });
    await expect(createOnnxEmbedder({ model: odd, ...cpu }).load()).rejects.toThrow(/outputs \[pooled_output\].*needs inputs input_ids and attention_mask .*output last_hidden_state/);
  });

  it("explains CUDA problems for device 'cuda' and falls back to the CPU for 'auto'", async () => {
    const cuda = createOnnxEmbedder({ model: modelDir, device: 'cuda', fetch: noNetwork });
    const outcome = await cuda.load().then(
      () => cuda.device,
      (error: Error) => error.message,
    );
    // On a machine with working CUDA the model runs there; elsewhere the error says how to fix it.
    if (outcome !== 'cuda') expect(outcome).toMatch(/device 'cuda' is not usable.*ONNXRUNTIME_NODE_INSTALL=cuda12.*device: 'cpu'/s);
    const warnings: string[] = [];
    const auto = createOnnxEmbedder({ model: modelDir, device: 'auto', fetch: noNetwork, onWarning: (message) => warnings.push(message) });
    await auto.load();
    // With a GPU, falling back says so in one line; without one, 'auto' is the CPU and says nothing (issue 14 item 13).
    if (auto.device === 'cpu' && process.platform === 'linux' && process.arch === 'x64') {
      if (nvidiaGpuPresent()) expect(warnings[0]).toMatch(/CUDA.*running .* on the CPU/);
      else expect(warnings).toEqual([]);
    }
    expect((await auto.doEmbed({ values: ['the cat'], inputType: 'document' })).embeddings[0]).toHaveLength(32);
  });

  it('truncates texts longer than the model takes, batches, and stops when aborted', async () => {
    const embedder = createOnnxEmbedder({ model: modelDir, batchSize: 3, ...cpu });
    const long = 'the cat sat on the mat '.repeat(200);
    const values = [long, 'a', 'b', 'c', 'the market'];
    const { embeddings } = await embedder.doEmbed({ values, inputType: 'document' });
    expect(embeddings).toHaveLength(5);
    const alone = (await embedder.doEmbed({ values: ['the market'], inputType: 'document' })).embeddings[0]!;
    expect(dot(alone, embeddings[4]!)).toBeCloseTo(1, 5);
    const controller = new AbortController();
    controller.abort();
    await expect(embedder.doEmbed({ values, inputType: 'document', abortSignal: controller.signal })).rejects.toThrow(AbortedError);
  });

  it('cuts token windows that the real tokenizer confirms', async () => {
    const embedder = createOnnxEmbedder({ model: modelDir, ...cpu });
    await embedder.load();
    const text = Array.from({ length: 400 }, (_, i) => `word${i} the cat, 3.14159 naïve`).join(' ');
    const windows = createTokenWindowSplitter({ countTokens: (piece) => embedder.countTokens(piece), maxTokens: 100 })(text);
    expect(windows.length).toBeGreaterThan(10);
    for (const window of windows) {
      expect(window.text).toBe(text.slice(window.charStart, window.charEnd));
      expect(embedder.countTokens(window.text)).toBe(window.tokens);
      expect(window.tokens).toBeLessThanOrEqual(100);
    }
    expect(windows[0]!.charStart).toBe(0);
    expect(windows.at(-1)!.charEnd).toBe(text.length);
    for (let i = 1; i < windows.length; i++) expect(windows[i]!.charStart).toBeLessThan(windows[i - 1]!.charEnd);
  });

  it('exports the settings an index needs to recreate it', async () => {
    const embedder = createArcticEmbedder({ model: modelDir, dimensions: 32, ...cpu });
    const state = embedder.exportState();
    expect(state).toEqual({ settings: { model: modelDir, dtype: 'fp32', pooling: 'cls', queryPrefix: ARCTIC_QUERY_PREFIX }, files: {} });
    const info = { provider: embedder.provider, modelId: embedder.modelId, dimensions: embedder.dimensions, settings: state.settings };
    const restored = embedderFromManifest(JSON.parse(JSON.stringify(info)) as typeof info, state.files, { onnx: { fetch: noNetwork } });
    for (const inputType of ['query', 'document'] as const) {
      expect((await restored.doEmbed({ values: ['the cat'], inputType })).embeddings).toEqual((await embedder.doEmbed({ values: ['the cat'], inputType })).embeddings);
    }
  });
});

describe('createArcticEmbedder', () => {
  it('defaults to Arctic-Embed L: 1024 dimensions, CLS pooling, the query instruction, no I/O at creation', () => {
    const embedder = createArcticEmbedder({ allowRemoteModels: false });
    expect([embedder.provider, embedder.modelId, embedder.dimensions, embedder.device]).toEqual(['onnx', 'Snowflake/snowflake-arctic-embed-l', 1024, undefined]);
    expect(embedder.exportState().settings).toMatchObject({ pooling: 'cls', queryPrefix: 'Represent this sentence for searching relevant passages: ' });
    // Settings left undefined (e.g. unset command-line flags) keep the Arctic defaults.
    const fromFlags = createArcticEmbedder({ device: undefined, dtype: undefined, queryPrefix: undefined, dimensions: undefined });
    expect([fromFlags.dimensions, fromFlags.exportState().settings.queryPrefix]).toEqual([1024, ARCTIC_QUERY_PREFIX]);
  });

  it('runs the same path on a local model folder', async () => {
    const embedder = createArcticEmbedder({ model: modelDir, ...cpu });
    const [query] = (await embedder.doEmbed({ values: ['cats'], inputType: 'query' })).embeddings;
    const [document] = (await embedder.doEmbed({ values: [ARCTIC_QUERY_PREFIX + 'cats'], inputType: 'document' })).embeddings;
    expect(dot(query!, document!)).toBeCloseTo(1, 5);
  });
});
