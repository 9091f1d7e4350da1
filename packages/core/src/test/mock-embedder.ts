import type { EmbedderV1 } from '../specs.js';

/** A deterministic hashing bag-of-words embedder for tests: shared words make vectors close. */
export function createMockEmbedder(settings: { dimensions?: number; provider?: string; modelId?: string } = {}): EmbedderV1 & {
  calls: Array<{ values: string[]; inputType: 'query' | 'document' }>;
} {
  const dimensions = settings.dimensions ?? 64;
  const calls: Array<{ values: string[]; inputType: 'query' | 'document' }> = [];
  return {
    specificationVersion: 'embedder-v1',
    provider: settings.provider ?? 'mock',
    modelId: settings.modelId ?? `hashing-${dimensions}`,
    dimensions,
    maxTokens: 10_000,
    maxEmbeddingsPerCall: 16,
    calls,
    countTokens: (text) => text.split(/\s+/).filter(Boolean).length,
    async doEmbed({ values, inputType }) {
      calls.push({ values: [...values], inputType });
      return { embeddings: values.map((value) => hashEmbed(value, dimensions)) };
    },
  };
}

/** Hashes lowercased words into a normalized vector (a fixed unit vector when there are none). */
export function hashEmbed(text: string, dimensions: number): Float32Array {
  const vector = new Float32Array(dimensions);
  for (const word of text.toLowerCase().match(/[a-z0-9]+/g) ?? []) {
    let hash = 2166136261;
    for (let i = 0; i < word.length; i++) hash = Math.imul(hash ^ word.charCodeAt(i), 16777619) >>> 0;
    vector[hash % dimensions]! += 1;
  }
  let norm = 0;
  for (const value of vector) norm += value * value;
  if (norm === 0) {
    vector[0] = 1;
    return vector;
  }
  norm = Math.sqrt(norm);
  for (let d = 0; d < dimensions; d++) vector[d]! /= norm;
  return vector;
}
