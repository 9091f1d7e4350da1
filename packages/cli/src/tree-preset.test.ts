import { describe, expect, it } from 'vitest';
import { readIndexConfig } from './index-config.js';
import { applyTreePreset } from './tree-preset.js';

const preset = (name: string) => readIndexConfig(new URL(`../../../configs/${name}.json`, import.meta.url).pathname);

describe('applyTreePreset', () => {
  it('makes --tree recursive reproduce configs/seed-004.json over any configuration', async () => {
    const seed004 = await preset('seed-004');
    const fromFlag = applyTreePreset(await preset('default'), 'recursive');
    expect(fromFlag.clustering).toMatchObject(seed004.clustering!);
    expect(fromFlag.umap?.nComponents).toBe(seed004.umap?.nComponents);
    expect(fromFlag.umap?.initIterations).toBe(seed004.umap?.initIterations);
    expect(fromFlag.umap?.knnOversampling).toBe(seed004.umap?.knnOversampling);
    expect(fromFlag.hdbscan?.clusterSelectionMethod).toBe('eom');
    expect(applyTreePreset(seed004, undefined).clustering?.tree).toBe('recursive');
  });

  it('fills the layered defaults only where the configuration is silent', () => {
    const layered = applyTreePreset({}, undefined);
    expect(layered.clustering?.tree).toBe('layers');
    expect(layered.umap?.nComponents).toBe(10);
    expect(layered.hdbscan?.clusterSelectionMethod).toBe('leaf');
    expect(layered.umap?.initIterations).toBe(30);
    expect(layered.umap?.knnOversampling).toBe(2);
    expect(applyTreePreset({ umap: { initIterations: 5 } }, undefined).umap?.initIterations).toBe(5);
    expect(applyTreePreset({ umap: { nComponents: 8 } }, undefined).umap?.nComponents).toBe(8);
    expect(applyTreePreset({ umap: { nComponents: 8 } }, 'layers').umap?.nComponents).toBe(10);
  });

  it('names the flag or key of a bad value and what it accepts', () => {
    expect(() => applyTreePreset({}, 'flat')).toThrow(/--tree flat: expected layers .* or recursive/);
    expect(() => applyTreePreset({ clustering: { tree: 'flat' as 'layers' } }, undefined)).toThrow(/clustering\.tree "flat" \(config\): expected "layers" or "recursive"/);
    expect(() => applyTreePreset({ clustering: { branching: 1 } }, undefined)).toThrow(/clustering\.branching 1 \(config\): expected an integer ≥ 2 or "auto"/);
    expect(() => applyTreePreset({ clustering: { branching: 'many' as 'auto' } }, undefined)).toThrow(/clustering\.branching "many"/);
    expect(() => applyTreePreset({ clustering: { consensusRuns: 0 } }, undefined)).toThrow(/clustering\.consensusRuns 0 \(config\): expected an integer ≥ 1/);
    expect(() => applyTreePreset({ clustering: { baseMinClusterSize: 1.5 } }, undefined)).toThrow(/clustering\.baseMinClusterSize 1\.5 \(config\)/);
  });
});
