import { createRandom } from '@corpus-proximity/core/internal';
import { execFileSync } from 'node:child_process';
import type { AnnotatedOutput, Annotation } from '@corpus-proximity/core';
import { describe, expect, it } from 'vitest';
import { analyzeAnnotations, type AnalyzeItem } from './analyze-annotations.js';
import { benjaminiHochberg } from './benjamini-hochberg.js';
import { analysisToJson, formatAnalysis } from './format-analysis.js';
import { mannWhitneyU } from './mann-whitney.js';


const LEAVES = ['0.0.0', '0.0.1', '0.1.0', '0.1.1', '0.2'];
const NAMES: Record<string, string> = { '0.0': 'Birds', '0.1': 'Cooking', '0.2': 'Law', '0.0.0': 'Songbirds', '0.0.1': 'Raptors', '0.1.0': 'Bread', '0.1.1': 'Wine' };

function sentence(clusterId: string, index: number, distance: number, inDistribution?: number): Annotation {
  const parts = clusterId.split('.');
  const path = parts.slice(1).map((_, i) => NAMES[parts.slice(0, i + 2).join('.')]!);
  return {
    textSpan: `s${index}`,
    charStart: index * 3,
    charEnd: index * 3 + 2,
    sentenceIndex: index,
    clusterId,
    clusterName: NAMES[clusterId]!,
    clusterDepth: parts.length - 1,
    clusterPath: path,
    distance,
    rank: 1,
    corpusStage: 'pretrain',
    nearestChunkIdx: 0,
    nearestChunkText: '',
    isNoise: false,
    ...(inDistribution === undefined ? {} : { inDistribution }),
  } as Annotation;
}

function output(annotations: Annotation[]): AnnotatedOutput {
  return { prompt: null, text: annotations.map((a) => a.textSpan).join(' '), annotations, metadata: { timestamp: '', corpusIndexPath: '/idx', k: 1, phraseLevel: true, embedderId: 'mock:m' } };
}

/** 300 one-sentence outputs; wine outputs are wrong 60% of the time, the rest 15%. */
function evalSet(seed: number): Array<AnalyzeItem & { leaf: string }> {
  const next = createRandom(seed);
  return Array.from({ length: 300 }, () => {
    const leaf = LEAVES[Math.floor(next() * LEAVES.length)]!;
    const correct = next() > (leaf === '0.1.1' ? 0.6 : 0.15);
    const distance = 0.2 + 0.3 * next() + (correct ? 0 : 0.08);
    return { leaf, correct, output: output([sentence(leaf, 0, distance, 1 - distance)]) };
  });
}

function scipy(script: string, input: unknown): any {
  return JSON.parse(execFileSync('/usr/bin/python3', ['-c', script], { input: JSON.stringify(input), encoding: 'utf8' }));
}

describe('analyzeAnnotations', () => {
  const items = evalSet(11);
  const result = analyzeAnnotations(items);

  it('counts every output once per level in the cluster its sentence falls under', () => {
    expect(result.n).toBe(300);
    expect(result.incorrect).toBe(items.filter((item) => !item.correct).length);
    const level1 = result.clusters.filter((finding) => finding.depth === 1);
    const level2 = result.clusters.filter((finding) => finding.depth === 2);
    expect(level1.map((finding) => finding.clusterId).sort()).toEqual(['0.0', '0.1', '0.2']);
    // 0.2 is a leaf at depth 1: its outputs are not placed at level 2.
    expect(level2.map((finding) => finding.clusterId).sort()).toEqual(['0.0.0', '0.0.1', '0.1.0', '0.1.1']);
    for (const finding of result.clusters) {
      const members = items.filter((item) => item.leaf === finding.clusterId || item.leaf.startsWith(`${finding.clusterId}.`));
      expect(finding.n).toBe(members.length);
      expect(finding.incorrect).toBe(members.filter((item) => !item.correct).length);
      expect(finding.clusterName).toBe(NAMES[finding.clusterId]);
    }
    const level2Total = items.filter((item) => item.leaf !== '0.2');
    expect(result.levels.map((level) => [level.depth, level.n])).toEqual([
      [1, 300],
      [2, level2Total.length],
    ]);
    // The planted cluster comes out on top, then its parent.
    expect(result.clusters[0]!.clusterId).toBe('0.1.1');
    expect(result.clusters[0]!.pAdjusted).toBeLessThan(0.01);
  });

  it('matches scipy: χ² (Yates) or Fisher per cluster, the level χ², Cramér\'s V, BH, Mann–Whitney and point-biserial', () => {
    checkAgainstScipy(items, result);
    // A small set, where expected counts fall below 5 and Fisher's exact test takes over.
    const small = items.slice(0, 40);
    const smallResult = analyzeAnnotations(small);
    expect(smallResult.clusters.some((finding) => finding.test === 'fisher')).toBe(true);
    checkAgainstScipy(small, smallResult);
  });

  it('finds nothing after the labels are shuffled', () => {
    const next = createRandom(5);
    const labels = items.map((item) => item.correct);
    for (let i = labels.length - 1; i > 0; i--) {
      const j = Math.floor(next() * (i + 1));
      [labels[i], labels[j]] = [labels[j]!, labels[i]!];
    }
    const shuffled = analyzeAnnotations(items.map((item, i) => ({ output: item.output, correct: labels[i]! })));
    for (const finding of shuffled.clusters) expect(finding.pAdjusted).toBeGreaterThan(0.05);
  });

  it('places a multi-sentence output by the majority of its sentences, ties to the nearer cluster', () => {
    const outputs = [
      { output: output([sentence('0.0.0', 0, 0.3), sentence('0.1.0', 1, 0.2), sentence('0.0.1', 2, 0.4)]), correct: false },
      { output: output([sentence('0.1.0', 0, 0.3), sentence('0.2', 1, 0.1)]), correct: true },
      { output: output([]), correct: true },
    ];
    const analysis = analyzeAnnotations(outputs);
    expect(analysis.skipped).toBe(1);
    const level1 = analysis.clusters.filter((finding) => finding.depth === 1);
    // Output 1: two sentences under 0.0 beat one under 0.1. Output 2: a tie, 0.2 is nearer.
    expect(level1.map((finding) => [finding.clusterId, finding.n, finding.incorrect]).sort()).toEqual([
      ['0.0', 1, 1],
      ['0.2', 1, 0],
    ]);
  });

  it('refuses an empty set and a single class, saying why', () => {
    expect(() => analyzeAnnotations([])).toThrow(/no outputs/);
    expect(() => analyzeAnnotations(items.map((item) => ({ ...item, correct: true })))).toThrow(/all 300 outputs are correct; with a single class .* no test can be run/);
  });

  it('prints a readable table and the JSON of analyze --json', () => {
    const text = formatAnalysis(result);
    expect(text).toMatch(/^300 outputs, \d+ incorrect/);
    expect(text).toMatch(/Level 1: 300 outputs in 3 clusters; χ²\(2\) = /);
    expect(text.split('\n').find((line) => line.trimStart().startsWith('0.1.1'))).toMatch(/Wine/);
    const json = analysisToJson(result);
    expect(Object.keys(json.clusters[0]!)).toEqual(['cluster_id', 'cluster_name', 'depth', 'n', 'incorrect', 'expected_incorrect', 'cramers_v', 'p_value', 'p_adjusted', 'test']);
    const adjusted = json.clusters.map((cluster) => cluster.p_adjusted);
    expect(adjusted).toEqual([...adjusted].sort((a, b) => a - b));
    expect(json.overall.levels).toHaveLength(2);
  });
});

describe('benjaminiHochberg', () => {
  it('keeps the input order, is monotone in p and caps at 1', () => {
    expect(benjaminiHochberg([0.04, 0.01, 0.03, 0.9])).toEqual([(0.04 * 4) / 3, 0.04, (0.04 * 4) / 3, 0.9]);
    expect(benjaminiHochberg([])).toEqual([]);
    expect(() => benjaminiHochberg([1.2])).toThrow(/lie in \[0, 1\]/);
  });
});

/** Recomputes every figure of an analysis with scipy (Debian's python3-scipy) and compares. */
function checkAgainstScipy(items: AnalyzeItem[], result: ReturnType<typeof analyzeAnnotations>): void {
    const tables = result.clusters.map((finding) => {
    const level = result.levels.find((candidate) => candidate.depth === finding.depth)!;
    return [
      [finding.incorrect, finding.n - finding.incorrect],
      [level.incorrect - finding.incorrect, level.n - finding.n - (level.incorrect - finding.incorrect)],
    ];
  });
  const levelTables = result.levels.map((level) =>
    result.clusters.filter((finding) => finding.depth === level.depth).map((finding) => [finding.incorrect, finding.n - finding.incorrect]),
  );
  const scores = items.map((item) => 1 - item.output.annotations[0]!.distance);
  const reference = scipy(
    `
import json, sys, numpy as np
from scipy import stats
d = json.load(sys.stdin)
def cluster(t):
  chi2, p, dof, exp = stats.chi2_contingency(t, correction=True)
  if exp.min() < 5: p = stats.fisher_exact(t)[1]
  v = np.sqrt(stats.chi2_contingency(t, correction=False)[0] / np.sum(t))
  return [float(p), float(v)]
def level(t):
  chi2, p, dof, exp = stats.chi2_contingency(t, correction=False)
  return [float(chi2), int(dof), float(p), float(np.sqrt(chi2 / (np.sum(t) * (min(np.shape(t)) - 1))))]
p = np.array([cluster(t)[0] for t in d['tables']])
order = np.argsort(p); m = len(p); ranked = p[order] * m / np.arange(1, m + 1)
bh = np.empty(m); bh[order] = np.minimum(1, np.minimum.accumulate(ranked[::-1])[::-1])
good = [s for s, c in zip(d['scores'], d['correct']) if c]; bad = [s for s, c in zip(d['scores'], d['correct']) if not c]
mw = stats.mannwhitneyu(good, bad, alternative='two-sided', method='asymptotic')
r = stats.pointbiserialr(d['correct'], d['scores'])[0]
print(json.dumps({'clusters': [cluster(t) for t in d['tables']], 'levels': [level(t) for t in d['levels']], 'bh': bh.tolist(), 'mw': [float(mw.statistic), float(mw.pvalue)], 'r': float(r)}))
`,
    { tables, levels: levelTables, scores, correct: items.map((item) => (item.correct ? 1 : 0)) },
  );
  result.clusters.forEach((finding, i) => {
    expect(finding.pValue).toBeCloseTo(reference.clusters[i][0], 10);
    expect(finding.cramersV).toBeCloseTo(reference.clusters[i][1], 10);
    expect(finding.pAdjusted).toBeCloseTo(reference.bh[i], 10);
  });
  result.levels.forEach((level, i) => {
    expect(level.chiSquare).toBeCloseTo(reference.levels[i][0], 8);
    expect(level.degreesOfFreedom).toBe(reference.levels[i][1]);
    expect(level.pValue).toBeCloseTo(reference.levels[i][2], 10);
    expect(level.cramersV).toBeCloseTo(reference.levels[i][3], 10);
  });
  // in_distribution here is 1 − distance, so the two relations mirror each other.
  const good = scores.filter((_, i) => items[i]!.correct);
  const bad = scores.filter((_, i) => !items[i]!.correct);
  expect(mannWhitneyU(good, bad).u).toBeCloseTo(reference.mw[0], 8);
  expect(result.inDistribution!.pValue).toBeCloseTo(reference.mw[1], 10);
  expect(result.inDistribution!.auroc).toBeCloseTo(reference.mw[0] / (good.length * bad.length), 12);
  expect(result.inDistribution!.pointBiserial).toBeCloseTo(reference.r, 10);
  expect(result.distance!.auroc).toBeCloseTo(1 - result.inDistribution!.auroc, 12);
}
