import { describe, expect, it } from 'vitest';
import type { NamerV1, NamingRequest } from '../specs.js';

const astronomy = [
  'The telescope observed a distant galaxy and its spiral arms.',
  'Astronomers measured the redshift of the galaxy cluster.',
  'A supernova in the galaxy outshone billions of stars.',
  'The planet orbits its star inside the habitable zone.',
];
const cooking = [
  'Whisk the eggs with sugar, then fold in the flour for the cake.',
  'Bake the bread dough in a hot oven until the crust is golden.',
  'Simmer the tomato sauce with garlic and basil for the pasta.',
  'Knead the dough and let the bread rise before baking.',
];

/** A naming request about astronomy with a cooking sibling, for tests. */
export function sampleNamingRequest(overrides: Partial<NamingRequest> = {}): NamingRequest {
  return {
    clusterId: '0.1',
    depth: 1,
    samples: astronomy.slice(0, 3),
    texts: astronomy,
    siblingTexts: [cooking],
    parentPath: [],
    siblingNames: [],
    ...overrides,
  };
}

/** Conformance suite every namer runs: a short non-empty name, and a different one when a sibling already has it. */
export function testNamer(name: string, create: () => NamerV1 | Promise<NamerV1>, options: { distinctFromSiblings?: boolean } = {}): void {
  describe(`namer conformance: ${name}`, () => {
    it('declares the namer-v1 spec', async () => {
      const namer = await create();
      expect(namer.specificationVersion).toBe('namer-v1');
      expect(namer.id).toMatch(/\S/);
    });

    it('returns a short, non-empty, single-line name', async () => {
      const result = await (await create()).doName(sampleNamingRequest());
      expect(result.name.trim()).not.toBe('');
      expect(result.name).not.toMatch(/\n/);
      const words = result.name.split(/\s+/).filter((word) => /\w/.test(word));
      expect(words.length).toBeGreaterThanOrEqual(1);
      expect(words.length).toBeLessThanOrEqual(6);
      expect(result.name.length).toBeLessThanOrEqual(80);
    });

    it('works for a cluster with no siblings and a parent path', async () => {
      const result = await (await create()).doName(sampleNamingRequest({ siblingTexts: [], parentPath: ['Science'] }));
      expect(result.name.trim()).not.toBe('');
    });

    if (options.distinctFromSiblings ?? true) {
      it('avoids a name a sibling already has', async () => {
        const namer = await create();
        const first = await namer.doName(sampleNamingRequest());
        const second = await namer.doName(sampleNamingRequest({ siblingNames: [first.name] }));
        expect(second.name.toLowerCase()).not.toBe(first.name.toLowerCase());
      });
    }
  });
}
