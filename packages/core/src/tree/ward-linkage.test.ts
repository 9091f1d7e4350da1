import { execFileSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { createRandom } from '../random.js';
import { wardLinkage } from './ward-linkage.js';

describe('wardLinkage', () => {
  it("gives scipy's Ward merge heights on unit-weight points (scipy height = √(2·increase of the sum of squares))", () => {
    const random = createRandom(5);
    const m = 60;
    const dimension = 4;
    const points = Float64Array.from({ length: m * dimension }, (_, i) => random() + (Math.floor(i / dimension) % 3) * 2);
    const ours = wardLinkage(points, new Array(m).fill(1), dimension);
    expect(ours.merges).toHaveLength(m - 1);
    expect(ours.sizes.at(-1)).toBe(m);
    const rows = Array.from({ length: m }, (_, i) => Array.from(points.subarray(i * dimension, (i + 1) * dimension)));
    const script = 'import json,sys; from scipy.cluster.hierarchy import linkage; print(json.dumps(sorted(linkage(json.load(sys.stdin), "ward")[:, 2].tolist())))';
    const scipy = JSON.parse(execFileSync('/usr/bin/python3', ['-c', script], { input: JSON.stringify(rows), encoding: 'utf8' })) as number[];
    const heights = ours.merges.map((merge) => Math.sqrt(2 * merge.height)).sort((a, b) => a - b);
    heights.forEach((height, i) => expect(height).toBeCloseTo(scipy[i]!, 9));
  });

  it('weights a point as that many coincident points', () => {
    // a (weight 2) and b, c (weight 1 each) on a line: merging a with b costs 2·1/3·1² = 2/3
    const merges = wardLinkage(Float64Array.from([0, 1, 5]), [2, 1, 1], 1).merges;
    expect(merges[0]).toMatchObject({ left: 0, right: 1, size: 3 });
    expect(merges[0]!.height).toBeCloseTo(2 / 3, 12);
    expect(merges[1]!.size).toBe(4);
  });
});
