import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readIndexConfig } from './index-config.js';
import { parseFitSample } from './parse.js';
import { resolveClusterer } from './plugins.js';

const work = mkdtempSync(join(tmpdir(), 'cp-config-'));
const write = (name: string, text: string) => {
  const file = join(work, name);
  writeFileSync(file, text);
  return file;
};

describe('readIndexConfig', () => {
  it('reads the shipped presets', async () => {
    for (const preset of ['default', 'quick-test', 'seed-004']) {
      const config = await readIndexConfig(new URL(`../../../configs/${preset}.json`, import.meta.url).pathname);
      expect(config.embedder).toBe('lsa');
      expect(config.clustering?.maxDepth).toBeGreaterThanOrEqual(2);
    }
  });

  it('names an unknown key, a wrong type and broken JSON', async () => {
    await expect(readIndexConfig(write('a.json', '{"clustering": {"maxDepht": 2}}'))).rejects.toThrow(/unknown key "clustering.maxDepht"/);
    await expect(readIndexConfig(write('b.json', '{"seed": "42"}'))).rejects.toThrow(/field seed is text \("42"\), not a number/);
    await expect(readIndexConfig(write('c.json', '{"seed": 4'))).rejects.toThrow(/not valid JSON/);
    await expect(readIndexConfig(join(work, 'missing.json'))).rejects.toThrow(/cannot read/);
  });

  it('accepts comments in "description" and "$" keys, and the hdbscan section', async () => {
    const config = await readIndexConfig(write('d.json', '{"description": "x", "$schema": "y", "hdbscan": {"clusterSelectionMethod": "leaf", "fragments": "shrink"}}'));
    expect(config.hdbscan?.clusterSelectionMethod).toBe('leaf');
    expect(config.hdbscan?.fragments).toBe('shrink');
  });
});

describe('resolveClusterer', () => {
  it('names the bad hdbscan setting', () => {
    expect(() => resolveClusterer({ hdbscan: { fragments: 'drop' as never } })).toThrow(/hdbscan.fragments "drop": expected "fall-out" or "shrink"/);
    expect(() => resolveClusterer({ hdbscan: { clusterSelectionMethod: 'tree' as never } })).toThrow(/hdbscan.clusterSelectionMethod/);
    expect(resolveClusterer({ hdbscan: { fragments: 'shrink' } }).specificationVersion).toBe('clusterer-v1');
  });
});

describe('fitSample', () => {
  it('takes a whole number ≥ 2, "all" or "auto" from the flag or the config file', async () => {
    expect(parseFitSample('all', '--fit-sample')).toBe('all');
    expect(parseFitSample('auto', '--fit-sample')).toBe('auto');
    expect(parseFitSample('300', '--fit-sample')).toBe(300);
    expect(parseFitSample(undefined, '--fit-sample')).toBeUndefined();
    expect(() => parseFitSample('lots', '--fit-sample')).toThrow(/--fit-sample lots: expected a whole number ≥ 2/);
    const config = await readIndexConfig(write('f.json', '{"fitSample": "all"}'));
    expect(parseFitSample(config.fitSample, 'fitSample (config)')).toBe('all');
    await expect(readIndexConfig(write('g.json', '{"fitSample": 1}'))).rejects.toThrow(/field fitSample is 1; must be ≥ 2/);
    await expect(readIndexConfig(write('h.json', '{"fitSample": true}'))).rejects.toThrow(/field fitSample is true; expected a whole number ≥ 2/);
  });
});
