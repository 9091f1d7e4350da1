import { AbortedError, InvalidInputError, PluginError, type ProgressEvent } from '@corpus-proximity/core';
import { conformanceCorpus, testEmbedder } from '@corpus-proximity/core/test';
import { describe, expect, it } from 'vitest';
import { createLsaEmbedder } from './create-lsa-embedder.js';

const quiet = { onWarning: () => {} };

testEmbedder('lsa', () => createLsaEmbedder({ dimensions: 8, ...quiet }));

/** Four topics, twelve documents each, built from topic words so every term recurs. */
const topics: Record<string, string[]> = {
  pets: ['cat', 'dog', 'kitten', 'puppy', 'pet', 'leash', 'veterinarian', 'fur', 'bark', 'purr'],
  finance: ['stock', 'market', 'bond', 'interest', 'rate', 'investor', 'bank', 'shares', 'dividend', 'inflation'],
  plants: ['leaf', 'photosynthesis', 'chlorophyll', 'sunlight', 'root', 'stem', 'flower', 'seed', 'soil', 'plant'],
  music: ['symphony', 'orchestra', 'violin', 'cello', 'piano', 'concert', 'composer', 'melody', 'chord', 'tempo'],
};
const corpus = Object.values(topics).flatMap((words, t) =>
  Array.from({ length: 12 }, (_, i) => `The ${words[i % 10]} and the ${words[(i * 3 + t + 1) % 10]} with a ${words[(i * 7 + 2) % 10]} near ${words[(i + 5) % 10]}.`),
);

const cosine = (a: Float32Array, b: Float32Array) => a.reduce((sum, value, i) => sum + value * b[i]!, 0);

async function fitted(settings: Parameters<typeof createLsaEmbedder>[0] = {}, values = corpus, seed = 42) {
  const embedder = createLsaEmbedder({ dimensions: 16, ...quiet, ...settings });
  await embedder.doFit({ values, seed });
  return embedder;
}

describe('createLsaEmbedder', () => {
  it('places texts on the same topic closer than texts on different topics', async () => {
    const embedder = await fitted();
    const [pets, pets2, finance, music] = (
      await embedder.doEmbed({
        values: ['my puppy and kitten need a veterinarian', 'the dog barks, the cat purrs on its fur', 'bond investors watch the interest rate', 'a cello melody in the symphony'],
        inputType: 'query',
      })
    ).embeddings as [Float32Array, Float32Array, Float32Array, Float32Array];
    expect(cosine(pets, pets2)).toBeGreaterThan(cosine(pets, finance) + 0.3);
    expect(cosine(pets, pets2)).toBeGreaterThan(cosine(pets, music) + 0.3);
    expect(cosine(finance, music)).toBeLessThan(0.5);
  });

  it('returns L2-normalized float32 vectors, and for queries without known terms the zero vector (never a fixed unit vector)', async () => {
    const embedder = await fitted();
    const { embeddings } = await embedder.doEmbed({ values: ['cat stock leaf violin', '', 'zzz qqq the and'], inputType: 'query' });
    for (const vector of embeddings) {
      expect(vector).toBeInstanceOf(Float32Array);
      expect(vector).toHaveLength(16);
    }
    expect(Math.abs(Math.hypot(...embeddings[0]!) - 1)).toBeLessThan(1e-6);
    expect(embeddings[1]).toEqual(new Float32Array(16));
    expect(embeddings[2]).toEqual(new Float32Array(16));
    // Nothing known is near nothing: cosine 0 with every corpus text, never 1.
    const corpusVectors = (await embedder.doEmbed({ values: corpus, inputType: 'document' })).embeddings;
    for (const vector of corpusVectors) expect(cosine(vector, embeddings[2]!)).toBe(0);
    // A corpus chunk with no known term stays unit length (e₀), so stored rows are always normalized.
    const documents = (await embedder.doEmbed({ values: ['zzz qqq'], inputType: 'document' })).embeddings;
    expect(Math.hypot(...documents[0]!)).toBeCloseTo(1, 6);
  });

  it('gives byte-identical embeddings for the same corpus and seed', async () => {
    const texts = [...corpus.slice(0, 5), 'a dog at the concert'];
    const first = await (await fitted()).doEmbed({ values: texts, inputType: 'document' });
    const second = await (await fitted()).doEmbed({ values: texts, inputType: 'document' });
    first.embeddings.forEach((vector, i) => expect(Buffer.from(vector.buffer).equals(Buffer.from(second.embeddings[i]!.buffer))).toBe(true));
    // Keeping every component, any seed spans the whole row space: cosines agree up to rounding.
    const full = await (await fitted({ dimensions: 64 }, corpus, 1)).doEmbed({ values: texts, inputType: 'document' });
    const other = await (await fitted({ dimensions: 64 }, corpus, 7)).doEmbed({ values: texts, inputType: 'document' });
    for (let i = 0; i < texts.length; i++) for (let j = 0; j < texts.length; j++) {
      expect(cosine(other.embeddings[i]!, other.embeddings[j]!)).toBeCloseTo(cosine(full.embeddings[i]!, full.embeddings[j]!), 5);
    }
  });

  it('exports a state that restores exactly the same embedder', async () => {
    const embedder = await fitted();
    const state = embedder.exportState();
    expect(Object.keys(state.files).sort()).toEqual(['components.npy', 'vocabulary.json']);
    expect(state.settings).toMatchObject({ format: 'lsa-v1', dimensions: 16, requestedDimensions: 16, maxFeatures: 50_000, minDocumentFrequency: 2, sublinearTf: true, seed: 42, documents: 48 });
    // Through JSON, as the index stores the settings.
    const restored = createLsaEmbedder({ state: { settings: JSON.parse(JSON.stringify(state.settings)) as Record<string, unknown>, files: state.files } });
    expect([restored.provider, restored.modelId, restored.dimensions]).toEqual(['lsa', 'tfidf-svd-16', 16]);
    expect(restored.fitReport).toBeUndefined();
    const texts = ['the kitten and the violin', 'interest rate of the bank', 'nothing known'];
    const before = await embedder.doEmbed({ values: texts, inputType: 'query' });
    const after = await restored.doEmbed({ values: texts, inputType: 'query' });
    expect(after.embeddings).toEqual(before.embeddings);
  });

  it('reduces the dimension on a tiny corpus and says so', async () => {
    const warnings: string[] = [];
    const events: ProgressEvent[] = [];
    const embedder = createLsaEmbedder({ dimensions: 256, onWarning: (message) => warnings.push(message) });
    expect(embedder.dimensions).toBe(256);
    await embedder.doFit({ values: ['red apple pie', 'green apple tart', 'red cherry pie', 'green pear'], seed: 1, onProgress: (event) => events.push(event) });
    // Terms in at least two documents: apple, green, pie, red → at most 4 dimensions.
    expect(embedder.dimensions).toBeLessThanOrEqual(4);
    expect(embedder.dimensions).toBeGreaterThanOrEqual(2);
    expect(embedder.modelId).toBe(`tfidf-svd-${embedder.dimensions}`);
    expect(embedder.fitReport).toMatchObject({ documents: 4, terms: 4, requestedDimensions: 256, dimensions: embedder.dimensions });
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toContain(`reduced dimensions from 256 to ${embedder.dimensions}`);
    expect(events.some((event) => event.stage === 'fit' && event.message === warnings[0])).toBe(true);
    expect(events.every((event) => event.stage === 'fit' && event.done <= event.total!)).toBe(true);
    const { embeddings } = await embedder.doEmbed({ values: ['red pie'], inputType: 'query' });
    expect(embeddings[0]).toHaveLength(embedder.dimensions);
  });

  it('fits on a seeded sample of a large corpus and still embeds every text', async () => {
    const events: string[] = [];
    const sampled = createLsaEmbedder({ dimensions: 8, fitSampleSize: 20, ...quiet });
    await sampled.doFit({ values: corpus, seed: 5, onProgress: (event) => event.message && events.push(event.message) });
    expect(sampled.fitReport).toMatchObject({ documents: 20, corpusDocuments: 48 });
    expect(events[0]).toMatch(/seeded sample of 20 of 48 documents/);
    expect(sampled.exportState().settings).toMatchObject({ documents: 20, corpusDocuments: 48 });
    const again = createLsaEmbedder({ dimensions: 8, fitSampleSize: 20, ...quiet });
    await again.doFit({ values: corpus, seed: 5 });
    const { embeddings } = await sampled.doEmbed({ values: corpus, inputType: 'document' });
    expect(embeddings).toHaveLength(48);
    expect((await again.doEmbed({ values: corpus, inputType: 'document' })).embeddings).toEqual(embeddings);
  });

  it('fits a single document', async () => {
    const embedder = await fitted({ dimensions: 4 }, ['just one lonely document here']);
    expect(embedder.dimensions).toBe(1);
    expect(Array.from((await embedder.doEmbed({ values: ['lonely'], inputType: 'query' })).embeddings[0]!)).toEqual([1]);
  });

  it('fails clearly before fitting, on empty or termless corpora and on bad settings', async () => {
    const embedder = createLsaEmbedder(quiet);
    await expect(embedder.doEmbed({ values: ['x'], inputType: 'query' })).rejects.toThrow(PluginError);
    await expect(embedder.doEmbed({ values: ['x'], inputType: 'query' })).rejects.toThrow(/before the embedder was fitted.*doFit.*state/);
    expect(() => embedder.exportState()).toThrow(/before doFit/);
    await expect(embedder.doFit({ values: [], seed: 1 })).rejects.toThrow(InvalidInputError);
    await expect(embedder.doFit({ values: ['alpha beta', 'gamma delta'], seed: 1 })).rejects.toThrow(/no word appears in at least 2 of the 2 documents.*minDocumentFrequency/);
    await expect(embedder.doFit({ values: ['the a of', 'and the'], seed: 1 })).rejects.toThrow(InvalidInputError);
    expect(() => createLsaEmbedder({ dimensions: 0 })).toThrow(/dimensions must be a positive integer/);
    expect(() => createLsaEmbedder({ maxFeatures: 2.5 })).toThrow(InvalidInputError);
  });

  it('rejects a broken state and names the file', async () => {
    const { settings, files } = (await fitted()).exportState();
    expect(() => createLsaEmbedder({ state: { settings, files: { 'vocabulary.json': files['vocabulary.json']! } } })).toThrow(/lacks components\.npy/);
    expect(() => createLsaEmbedder({ state: { settings: { ...settings, format: 'lsa-v0' }, files } })).toThrow(/format "lsa-v0"/);
    expect(() => createLsaEmbedder({ state: { settings: { ...settings, dimensions: 15 }, files } })).toThrow(/components\.npy has shape \(\d+, 16\).*15 dimensions/);
    expect(() => createLsaEmbedder({ state: { settings, files: { ...files, 'vocabulary.json': new TextEncoder().encode('{') } } })).toThrow(/vocabulary\.json is not valid JSON/);
  });

  it('stops when aborted', async () => {
    const controller = new AbortController();
    controller.abort();
    await expect(createLsaEmbedder(quiet).doFit({ values: corpus, seed: 1, abortSignal: controller.signal })).rejects.toThrow(AbortedError);
    const embedder = await fitted();
    await expect(embedder.doEmbed({ values: ['cat'], inputType: 'query', abortSignal: controller.signal })).rejects.toThrow(AbortedError);
  });

  it('counts whitespace-separated words as tokens', () => {
    const embedder = createLsaEmbedder();
    expect(embedder.countTokens?.('The cat sat on the mat.')).toBe(6);
    expect(embedder.maxTokens).toBeGreaterThanOrEqual(100_000);
  });

  it('fits the conformance corpus with the default settings', async () => {
    const embedder = createLsaEmbedder(quiet);
    await embedder.doFit({ values: conformanceCorpus, seed: 3 });
    expect(embedder.dimensions).toBeLessThanOrEqual(conformanceCorpus.length);
  });
});
