import { EmbedderMismatchError, InvalidInputError, type EmbedderV1 } from '@corpus-proximity/core';
import { describe, expect, it } from 'vitest';
import { embedderFromManifest } from './embedder-from-manifest.js';
import { embedderFromSpec, registerEmbedder, registeredEmbedders } from './embedder-registry.js';

/** A small embedder of the user's own: vectors from letter counts. */
function letters(dimensions: number, modelId = `letters-${dimensions}`): EmbedderV1 {
  return {
    specificationVersion: 'embedder-v1',
    provider: 'letters',
    modelId,
    dimensions,
    maxTokens: 512,
    async doEmbed({ values }) {
      return {
        embeddings: values.map((value) => {
          const vector = new Float32Array(dimensions);
          for (const character of value.toLowerCase()) if (character >= 'a' && character <= 'z') vector[(character.charCodeAt(0) - 97) % dimensions]! += 1;
          const norm = Math.hypot(...vector) || 1;
          return vector.map((x) => x / norm);
        }),
      };
    },
  };
}

describe('embedder registry', () => {
  it('lists the built-ins and resolves their spec strings', () => {
    expect(registeredEmbedders().slice(0, 4).map((entry) => [entry.provider, entry.fromManifest, entry.fromSpec])).toEqual([
      ['lsa', true, true],
      ['arctic', false, true],
      ['onnx', true, true],
      ['openai', true, true],
    ]);
    const openai = embedderFromSpec('openai:text-embedding-3-small', { baseURL: 'http://127.0.0.1:9/v1' });
    expect([openai.provider, openai.modelId, openai.dimensions]).toEqual(['openai', 'text-embedding-3-small', 1536]);
    const arctic = embedderFromSpec('arctic');
    expect([arctic.provider, arctic.modelId, arctic.dimensions]).toEqual(['onnx', 'Snowflake/snowflake-arctic-embed-l', 1024]);
    expect(embedderFromSpec('lsa', { dimensions: 12 }).dimensions).toBe(12);
    expect(() => embedderFromSpec('openai:')).toThrow(/needs a model after the colon/);
    expect(() => embedderFromSpec('magic:v2')).toThrow(InvalidInputError);
    expect(() => embedderFromSpec('magic:v2')).toThrow(/unknown embedder "magic:v2"; registered: lsa \(.*\), arctic \(.*\), onnx:<folder-or-model-id> \(.*\), openai:<model> \(.*\)/);
  });

  it('lets a custom provider join: manifests and spec strings then resolve to it', async () => {
    expect(() => embedderFromManifest({ provider: 'letters', modelId: 'letters-8', dimensions: 8, settings: {} }, {})).toThrow(/unknown embedder provider "letters"/);
    registerEmbedder('letters', (info) => letters(info.dimensions));
    const restored = embedderFromManifest({ provider: 'letters', modelId: 'letters-8', dimensions: 8, settings: {} }, {});
    const { embeddings } = await restored.doEmbed({ values: ['abc'], inputType: 'query' });
    expect(Array.from(embeddings[0]!).slice(0, 3).map((x) => x.toFixed(4))).toEqual(Array(3).fill((1 / Math.sqrt(3)).toFixed(4)));
    // The recreated embedder must be the one the manifest names.
    expect(() => embedderFromManifest({ provider: 'letters', modelId: 'letters-9', dimensions: 8, settings: {} }, {})).toThrow(EmbedderMismatchError);
    expect(() => embedderFromSpec('letters:8')).toThrow(/unknown embedder "letters:8"/);
    registerEmbedder('letters', { fromManifest: (info) => letters(info.dimensions), fromSpec: (argument) => letters(Number(argument ?? 26)), description: 'letters:<n>' });
    expect(embedderFromSpec('letters:8').dimensions).toBe(8);
    expect(registeredEmbedders().find((entry) => entry.provider === 'letters')).toMatchObject({ fromManifest: true, fromSpec: true, description: 'letters:<n>' });
    // One table per process, shared by every copy of the package.
    expect((globalThis as Record<symbol, Map<string, unknown>>)[Symbol.for('corpus-proximity.embedder-registry')]!.has('letters')).toBe(true);
    expect(() => registerEmbedder('bad name', () => letters(3))).toThrow(/letters, digits/);
  });
});
