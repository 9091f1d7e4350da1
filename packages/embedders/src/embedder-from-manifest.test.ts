import { EmbedderMismatchError, InvalidInputError } from '@corpus-proximity/core';
import { conformanceCorpus } from '@corpus-proximity/core/test';
import { describe, expect, it } from 'vitest';
import { embedderFromManifest } from './embedder-from-manifest.js';
import { createLsaEmbedder } from './lsa/create-lsa-embedder.js';

describe('embedderFromManifest', () => {
  it('recreates a fitted LSA embedder that embeds queries in the same space', async () => {
    const original = createLsaEmbedder({ dimensions: 6, onWarning: () => {} });
    await original.doFit({ values: conformanceCorpus, seed: 5 });
    const { settings, files } = original.exportState();
    const info = { provider: original.provider, modelId: original.modelId, dimensions: original.dimensions, settings };
    const restored = embedderFromManifest(JSON.parse(JSON.stringify(info)) as typeof info, files);
    expect([restored.provider, restored.modelId, restored.dimensions]).toEqual(['lsa', 'tfidf-svd-6', 6]);
    const query = ['a young cat and a dog'];
    expect((await restored.doEmbed({ values: query, inputType: 'query' })).embeddings).toEqual(
      (await original.doEmbed({ values: query, inputType: 'query' })).embeddings,
    );
    expect(() => embedderFromManifest({ ...info, dimensions: 7 }, files)).toThrow(EmbedderMismatchError);
  });

  it('recreates ONNX and OpenAI embedders from their settings, with local overrides', () => {
    const onnx = embedderFromManifest(
      { provider: 'onnx', modelId: 'Snowflake/snowflake-arctic-embed-l', dimensions: 1024, settings: { model: 'Snowflake/snowflake-arctic-embed-l', dtype: 'q8', pooling: 'cls', queryPrefix: 'Q: ' } },
      {},
      { onnx: { localModelPath: '/models' } },
    );
    expect([onnx.provider, onnx.modelId, onnx.dimensions]).toEqual(['onnx', 'Snowflake/snowflake-arctic-embed-l', 1024]);
    expect((onnx as unknown as { exportState(): { settings: unknown } }).exportState().settings).toEqual({ model: 'Snowflake/snowflake-arctic-embed-l', dtype: 'q8', pooling: 'cls', queryPrefix: 'Q: ' });
    const openai = embedderFromManifest({ provider: 'openai', modelId: 'text-embedding-3-small', dimensions: 256, settings: { model: 'text-embedding-3-small', baseURL: 'http://127.0.0.1:9/v1' } }, {});
    expect([openai.provider, openai.modelId, openai.dimensions]).toEqual(['openai', 'text-embedding-3-small', 256]);
    expect(() => embedderFromManifest({ provider: 'openai', modelId: 'a', dimensions: 8, settings: { model: 'a' } }, {}, { openai: { model: 'b' } })).toThrow(EmbedderMismatchError);
  });

  it('refuses unknown providers and says what to do', () => {
    expect(() => embedderFromManifest({ provider: 'magic', modelId: 'm', dimensions: 3, settings: {} }, {})).toThrow(InvalidInputError);
    expect(() => embedderFromManifest({ provider: 'magic', modelId: 'm', dimensions: 3, settings: {} }, {})).toThrow(/unknown embedder provider "magic".*known providers: lsa, onnx, openai/);
  });
});
