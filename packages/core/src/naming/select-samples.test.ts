import { describe, expect, it } from 'vitest';
import { selectSamples } from './select-samples.js';

/** 2-d unit vectors at the given angles (degrees). */
const at = (...degrees: number[]) => Float32Array.from(degrees.flatMap((a) => [Math.cos((a * Math.PI) / 180), Math.sin((a * Math.PI) / 180)]));

describe('selectSamples', () => {
  it('takes the nearest half first, nearest first, then diverse members', () => {
    // A tight group around 0°, a few close duplicates, and two outlying members at ±60°.
    const embeddings = at(1, -1, 2, -2, 3, 60, -60, 1.5);
    const samples = selectSamples({ embeddings, dimension: 2, centroid: at(0), members: [0, 1, 2, 3, 4, 5, 6, 7], count: 4 });
    expect(samples.slice(0, 2)).toEqual([0, 1]);
    // Diversity: the outliers beat the near-duplicates of what is already picked.
    expect(samples.slice(2).sort()).toEqual([5, 6]);
  });

  it('never picks the same text twice and stops when members run out', () => {
    const embeddings = at(0, 0, 10, 20);
    const chunks = ['same', 'same', 'other', 'third'];
    const samples = selectSamples({ embeddings, dimension: 2, centroid: at(0), members: [0, 1, 2, 3], count: 8, chunks });
    expect(samples).toHaveLength(3);
    expect(samples[0]).toBe(0);
    expect(new Set(samples.map((i) => chunks[i])).size).toBe(3);
    expect(selectSamples({ embeddings, dimension: 2, centroid: at(0), members: [], count: 3 })).toEqual([]);
  });

  it('is deterministic with a candidate pool smaller than the cluster', () => {
    const degrees = Array.from({ length: 200 }, (_, i) => (i * 37) % 180 - 90);
    const options = { embeddings: at(...degrees), dimension: 2, centroid: at(0), members: degrees.map((_, i) => i), count: 6, poolSize: 20, seed: 3 };
    const first = selectSamples(options);
    expect(selectSamples(options)).toEqual(first);
    expect(first).toHaveLength(6);
    expect(Math.abs(degrees[first[0]!]!)).toBe(Math.min(...degrees.map(Math.abs)));
  });
});
