import { describe, expect, it } from 'vitest';
import type { EmbedderV1 } from '../specs.js';

/** Texts the conformance suites embed (and fit corpus-fitted embedders on). */
export const conformanceCorpus = [
  'The cat sat on the warm mat and purred at the dog.',
  'Dogs and cats are common household pets that need care.',
  'A kitten is a young cat; a puppy is a young dog.',
  'The stock market fell sharply as interest rates rose.',
  'Investors sold shares after the central bank raised rates.',
  'Bond yields and stock prices moved with the interest rate news.',
  'Photosynthesis converts sunlight, water and carbon dioxide into sugar.',
  'Plants use chlorophyll in their leaves to capture light energy.',
  'Green leaves absorb sunlight for photosynthesis in the plant cell.',
  'The orchestra played a symphony by Beethoven in the concert hall.',
  'A violin and a cello joined the piano for the chamber music concert.',
  'The composer wrote the symphony for a full orchestra of strings and brass.',
];

/**
 * Conformance suite every embedder runs: shapes, normalization, determinism, batch independence, and
 * no fixed vector for unknown text (a query it knows nothing of may come back all zeros, never NaN).
 * `create` may return a fresh embedder; corpus-fitted ones are fitted on the suite's corpus first.
 */
export function testEmbedder(name: string, create: () => EmbedderV1 | Promise<EmbedderV1>, options: { tolerance?: number } = {}): void {
  const tolerance = options.tolerance ?? 1e-4;
  const ready = async () => {
    const embedder = await create();
    if (embedder.doFit) await embedder.doFit({ values: conformanceCorpus, seed: 7 });
    return embedder;
  };

  describe(`embedder conformance: ${name}`, () => {
    it('declares the embedder-v1 spec', async () => {
      const embedder = await ready();
      expect(embedder.specificationVersion).toBe('embedder-v1');
      expect(embedder.provider).toMatch(/\S/);
      expect(embedder.modelId).toMatch(/\S/);
      expect(Number.isInteger(embedder.dimensions) && embedder.dimensions > 0).toBe(true);
      expect(embedder.maxTokens).toBeGreaterThan(0);
    });

    it('returns one finite, L2-normalized vector of the declared dimension per input', async () => {
      const embedder = await ready();
      const values = conformanceCorpus.slice(0, Math.min(conformanceCorpus.length, embedder.maxEmbeddingsPerCall ?? 12));
      for (const inputType of ['document', 'query'] as const) {
        const { embeddings } = await embedder.doEmbed({ values, inputType });
        expect(embeddings).toHaveLength(values.length);
        for (const vector of embeddings) {
          expect(vector).toBeInstanceOf(Float32Array);
          expect(vector.length).toBe(embedder.dimensions);
          let norm = 0;
          for (const value of vector) {
            expect(Number.isFinite(value)).toBe(true);
            norm += value * value;
          }
          // A query with nothing the embedder knows may be all zeros ("no evidence"); everything else is unit length.
          if (!(inputType === 'query' && norm === 0)) expect(Math.abs(Math.sqrt(norm) - 1)).toBeLessThan(1e-3);
        }
      }
    });

    it('is deterministic and independent of the batch a text is in', async () => {
      const embedder = await ready();
      const text = conformanceCorpus[4]!;
      const alone = (await embedder.doEmbed({ values: [text], inputType: 'document' })).embeddings[0]!;
      const again = (await embedder.doEmbed({ values: [text], inputType: 'document' })).embeddings[0]!;
      const inBatch = (await embedder.doEmbed({ values: [conformanceCorpus[0]!, text, 'short'], inputType: 'document' })).embeddings[1]!;
      for (let d = 0; d < embedder.dimensions; d++) {
        expect(Math.abs(alone[d]! - again[d]!)).toBeLessThanOrEqual(tolerance);
        expect(Math.abs(alone[d]! - inBatch[d]!)).toBeLessThanOrEqual(tolerance);
      }
    });

    it('gives text with nothing it knows a finite vector that is all zeros ("nothing known") or unit length, never NaN', async () => {
      const embedder = await ready();
      const { embeddings } = await embedder.doEmbed({ values: ['!!! ??? ...', 'qzxv jjkw vvqp'], inputType: 'query' });
      expect(embeddings).toHaveLength(2);
      for (const vector of embeddings) {
        let norm = 0;
        for (const value of vector) {
          expect(Number.isFinite(value)).toBe(true);
          norm += value * value;
        }
        // Zero means "no evidence" to annotate; anything else must be a proper unit vector.
        if (norm !== 0) expect(Math.abs(Math.sqrt(norm) - 1)).toBeLessThan(1e-3);
      }
    });

    it('embeds an empty list as an empty list', async () => {
      const embedder = await ready();
      expect((await embedder.doEmbed({ values: [], inputType: 'document' })).embeddings).toEqual([]);
    });
  });
}
