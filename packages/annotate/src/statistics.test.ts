import { InvalidInputError, type AnnotatedOutput } from '@corpus-proximity/core';
import { describe, expect, it } from 'vitest';
import { chiSquareTest } from './chi-square-test.js';
import { clusterContingency } from './cluster-contingency.js';
import { cramersV } from './cramers-v.js';
import { fisherExact } from './fisher-exact.js';
import { chiSquareSurvival, logGamma, regularizedGammaQ } from './special-functions.js';

// Reference values computed with Python's fractions.Fraction and math.comb (exact), and math.erfc.

describe('special functions', () => {
  it('logGamma matches factorials and Γ(1/2) = √π', () => {
    let factorial = 1;
    for (let n = 1; n <= 30; n++) {
      expect(logGamma(n)).toBeCloseTo(Math.log(factorial), 10);
      factorial *= n;
    }
    expect(logGamma(0.5)).toBeCloseTo(Math.log(Math.sqrt(Math.PI)), 12);
    expect(() => logGamma(0)).toThrow(RangeError);
  });

  it('the χ² survival function matches its closed forms for even degrees of freedom', () => {
    for (const x of [0.1, 1, 2.5, 7, 20, 60]) {
      for (const k of [1, 2, 3, 5, 10]) {
        // Q(k, x/2) = e^(−x/2) Σ_{i<k} (x/2)^i / i!  for χ² with 2k degrees of freedom.
        let term = 1;
        let sum = 0;
        for (let i = 0; i < k; i++) {
          sum += term;
          term *= x / 2 / (i + 1);
        }
        const expected = Math.exp(-x / 2) * sum;
        expect(Math.abs(chiSquareSurvival(x, 2 * k) - expected)).toBeLessThan(1e-12 + expected * 1e-10);
      }
    }
    expect(chiSquareSurvival(3.841458820694124, 1)).toBeCloseTo(0.05, 12);
    expect(chiSquareSurvival(0, 4)).toBe(1);
    expect(regularizedGammaQ(3, 0)).toBe(1);
  });
});

describe('chiSquareTest', () => {
  it('matches scipy.stats.chi2_contingency on a 2 × 3 table', () => {
    const result = chiSquareTest([[10, 10, 20], [20, 20, 20]]);
    expect(result.statistic).toBeCloseTo(2.7777777777777777, 12);
    expect(result.degreesOfFreedom).toBe(2);
    expect(result.pValue).toBeCloseTo(0.24935220877729622, 12);
    expect(result.expected[0]).toEqual([12, 12, 16]);
    expect(result.corrected).toBe(false);
    expect(result.n).toBe(100);
  });

  it('applies Yates correction to 2 × 2 tables unless told not to', () => {
    const corrected = chiSquareTest([[12, 5], [3, 9]]);
    expect(corrected.corrected).toBe(true);
    expect(corrected.statistic).toBeCloseTo(4.171457749766574, 12);
    expect(corrected.pValue).toBeCloseTo(0.04111041419430707, 12);
    const plain = chiSquareTest([[12, 5], [3, 9]], { correction: false });
    expect(plain.statistic).toBeCloseTo(5.85483193277311, 12);
    expect(plain.pValue).toBeCloseTo(0.015534341414683482, 12);
  });

  it('computes a 3 × 3 table, drops empty rows and columns, and flags low expected counts', () => {
    const result = chiSquareTest([[10, 2, 0, 3], [0, 0, 0, 0], [4, 12, 0, 5], [1, 3, 0, 15]]);
    expect(result.droppedRows).toEqual([1]);
    expect(result.droppedColumns).toEqual([2]);
    expect(result.statistic).toBeCloseTo(29.610855783961185, 10);
    expect(result.pValue).toBeCloseTo(5.8734141077765666e-6, 15);
    // Expected counts 15·15/55 ≈ 4.09 and 15·17/55 ≈ 4.64 are below 5.
    expect(result.lowExpectedShare).toBeCloseTo(2 / 9, 12);
  });

  it('rejects malformed tables', () => {
    expect(() => chiSquareTest([])).toThrow(InvalidInputError);
    expect(() => chiSquareTest([[1, 2], [3]])).toThrow(/row 1 has 1 cells/);
    expect(() => chiSquareTest([[1, -2]])).toThrow(/≥ 0/);
    expect(() => chiSquareTest([[0, 0], [0, 0]])).toThrow(/all zeros/);
  });
});

describe('cramersV', () => {
  it('is √(χ² / (n (min(r, c) − 1))) without continuity correction', () => {
    expect(cramersV([[12, 5], [3, 9]])).toBeCloseTo(0.4493225526306476, 12);
    expect(cramersV([[10, 2, 3], [4, 12, 5], [1, 3, 15]])).toBeCloseTo(0.518834846589944, 12);
  });

  it('is 0 for independent tables and 1 for perfectly associated ones', () => {
    expect(cramersV([[10, 20], [5, 10]])).toBeCloseTo(0, 12);
    expect(cramersV([[7, 0, 0], [0, 4, 0], [0, 0, 9]])).toBeCloseTo(1, 12);
    expect(cramersV([[3, 4, 5]])).toBe(0);
  });
});

describe('fisherExact', () => {
  const cases: Array<[number[], [number, number, number]]> = [
    [[3, 1, 1, 3], [0.4857142857142857, 0.9857142857142858, 0.24285714285714285]],
    [[6, 2, 1, 4], [0.10256410256410256, 0.9953379953379954, 0.08624708624708624]],
    [[8, 2, 1, 5], [0.03496503496503497, 0.9991258741258742, 0.024475524475524476]],
    [[1, 9, 11, 3], [0.0027594561852200836, 0.0013797280926100418, 0.9999663480953022]],
    [[0, 5, 5, 0], [0.007936507936507936, 0.003968253968253968, 1]],
    [[10, 0, 0, 0], [1, 1, 1]],
    [[20, 30, 25, 15], [0.05561636928468976, 0.02780818464234488, 0.9904508532998603]],
  ];
  it.each(cases)('matches exact enumeration for %j', (cells, [twoSided, less, greater]) => {
    const [a, b, c, d] = cells as [number, number, number, number];
    expect(fisherExact(a, b, c, d).pValue).toBeCloseTo(twoSided, 12);
    expect(fisherExact(a, b, c, d, 'less').pValue).toBeCloseTo(less, 12);
    expect(fisherExact(a, b, c, d, 'greater').pValue).toBeCloseTo(greater, 12);
  });

  it('gives the sample odds ratio and rejects non-counts', () => {
    expect(fisherExact(3, 1, 1, 3).oddsRatio).toBe(9);
    expect(fisherExact(0, 5, 5, 0).oddsRatio).toBe(0);
    expect(fisherExact(5, 0, 5, 1).oddsRatio).toBe(Infinity);
    expect(() => fisherExact(1.5, 1, 1, 1)).toThrow(InvalidInputError);
  });
});

describe('clusterContingency', () => {
  /** An output whose sentences are nearest to the given clusters (rank 1), each with a rank-2 distractor. */
  function output(clusters: Array<[id: string, distance: number]>): AnnotatedOutput {
    const names: Record<string, string[]> = { '0.0.0': ['Math', 'Calculus'], '0.0.1': ['Math', 'Algebra'], '0.1.0': ['Cooking', 'Baking'], '0.1': ['Cooking'] };
    return {
      prompt: null,
      text: 't',
      annotations: clusters.flatMap(([id, distance], sentenceIndex) =>
        [1, 2].map((rank) => ({
          textSpan: `s${sentenceIndex}`, charStart: 0, charEnd: 1, sentenceIndex,
          clusterId: rank === 1 ? id : '0.9', clusterName: rank === 1 ? names[id]!.at(-1)! : 'Other',
          clusterDepth: rank === 1 ? id.split('.').length - 1 : 1, clusterPath: rank === 1 ? names[id]! : ['Other'],
          distance: distance + rank - 1, rank, corpusStage: null, nearestChunkIdx: 0, nearestChunkText: '', isNoise: false,
        })),
      ),
      metadata: { timestamp: '', corpusIndexPath: '', k: 2, phraseLevel: true, embedderId: 'm' },
    };
  }
  const items = [
    { output: output([['0.0.0', 0.1], ['0.0.0', 0.2], ['0.1.0', 0.05]]), outcome: true },
    { output: output([['0.0.1', 0.1]]), outcome: false },
    { output: output([['0.1.0', 0.3], ['0.0.1', 0.1]]), outcome: false },
    { output: output([['0.1', 0.1]]), outcome: true },
    { output: output([]), outcome: true },
  ];

  it('counts each output once in its majority cluster, ties to the nearest', () => {
    const result = clusterContingency(items);
    expect(result.clusters).toEqual(['0.0.0', '0.0.1', '0.1']);
    expect(result.names).toEqual(['Calculus', 'Algebra', 'Cooking']);
    expect(result.outcomes).toEqual(['false', 'true']);
    expect(result.table).toEqual([[0, 1], [2, 0], [0, 1]]);
    expect(result.skipped).toBe(1);
  });

  it('counts sentences, or clusters cut to a depth', () => {
    expect(clusterContingency(items, { unit: 'sentence' }).table).toEqual([[0, 2], [2, 0], [0, 1], [1, 1]]);
    const coarse = clusterContingency(items, { unit: 'sentence', depth: 1 });
    expect(coarse.clusters).toEqual(['0.0', '0.1']);
    expect(coarse.names).toEqual(['Math', 'Cooking']);
    expect(coarse.table).toEqual([[2, 2], [1, 2]]);
    expect(() => clusterContingency(items, { depth: 0 })).toThrow(InvalidInputError);
  });
});
