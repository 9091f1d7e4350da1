import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { checkIndexSettings, indexConfigJsonSchema } from './config-schema.js';
import { checkIndexFlags } from './check-index-flags.js';

const field = (path: string) => `field ${path}`;

describe('the config schema', () => {
  it('is published as configs/schema.json, up to date (regenerate with `pnpm config-schema`)', () => {
    const published = JSON.parse(readFileSync(new URL('../../../configs/schema.json', import.meta.url), 'utf8'));
    expect(published).toEqual(indexConfigJsonSchema());
    expect(published.properties.embeddingsDtype.enum).toEqual(['float32', 'float16']);
  });

  it('is named by every shipped preset, which it accepts', () => {
    for (const preset of ['default', 'quick-test']) {
      const config = JSON.parse(readFileSync(new URL(`../../../configs/${preset}.json`, import.meta.url), 'utf8'));
      expect(config.$schema).toBe('./schema.json');
      expect(checkIndexSettings(config, field)).toEqual([]);
    }
  });

  it('rejects values the loader or the pipeline would reject later, naming the field', () => {
    expect(checkIndexSettings({ embeddingsDtype: 'float64' }, field)).toEqual(['field embeddingsDtype is "float64"; expected "float32" or "float16"']);
    expect(checkIndexSettings({ chunking: { strategy: 'sentences' } }, field)[0]).toContain('field chunking.strategy is "sentences"; expected "paragraph" or "words" or "tokens"');
    expect(checkIndexSettings({ clustering: { maxDepth: -1 } }, field)).toEqual(['field clustering.maxDepth is -1; must be ≥ 0']);
    expect(checkIndexSettings({ clustering: { basePct: 0 } }, field)[0]).toContain('must be > 0');
    expect(checkIndexSettings({ output: 42 }, field)).toEqual(['field output is a number (42), not text']);
    expect(checkIndexSettings({ maxChunks: 0 }, field)).toEqual(['field maxChunks is 0; must be ≥ 1']);
    expect(checkIndexSettings({ umap: { nNeigbors: 5 } }, field)[0]).toMatch(/unknown key "umap.nNeigbors"; known keys: nComponents, nNeighbors, minDist, initIterations, knnOversampling/);
    expect(checkIndexSettings({ umap: { knnOversampling: 0.5 } }, field)[0]).toContain('umap.knnOversampling is 0.5');
    expect(checkIndexSettings({ umap: { knnOversampling: 'twice' } }, field)[0]).toContain('umap.knnOversampling');
    expect(checkIndexSettings({ umap: { initIterations: 0 } }, field)).toEqual(['field umap.initIterations is 0; must be ≥ 1']);
    expect(checkIndexSettings({ umap: { initIterations: 2.5 } }, field)[0]).toBe('field umap.initIterations is a number (2.5), not a whole number');
    expect(checkIndexSettings({ stage: '' }, field)[0]).toContain('field stage is ""');
  });

  it('checks flags with the same rules, naming the flag', () => {
    expect(() => checkIndexFlags({ maxChunks: '0' })).toThrow('--max-chunks is 0; must be ≥ 1');
    expect(() => checkIndexFlags({ seed: 'abc' })).toThrow('--seed is text ("abc"), not a number');
    expect(() => checkIndexFlags({ stage: '' })).toThrow(/--stage is ""; must be ≥ 1 characters long|--stage is ""/);
    expect(() => checkIndexFlags({ chunking: 'sentences' })).toThrow(/--chunking is "sentences"/);
    expect(() => checkIndexFlags({ fitSample: 'all', maxChunks: '10', seed: '3' })).not.toThrow();
  });
});
