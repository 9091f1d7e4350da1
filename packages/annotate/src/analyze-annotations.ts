import { InvalidInputError, type AnnotatedOutput, type Annotation } from '@corpus-proximity/core';
import { benjaminiHochberg } from './benjamini-hochberg.js';
import { chiSquareTest } from './chi-square-test.js';
import { cramersV } from './cramers-v.js';
import { fisherExact } from './fisher-exact.js';
import { mannWhitneyU, pearsonCorrelation } from './mann-whitney.js';

/** One annotated output with its label from the eval harness. */
export interface AnalyzeItem {
  output: AnnotatedOutput;
  correct: boolean;
}

/** Options of analyzeAnnotations. */
export interface AnalyzeOptions {
  /** Deepest tree level to analyze (default: the deepest rank-1 cluster). */
  maxDepth?: number;
}

/** One cluster at one tree level: its outputs, how many were incorrect, and the 2 × 2 test against all other outputs of that level. */
export interface ClusterFinding {
  clusterId: string;
  clusterName: string;
  /** The tree level (1 = the root's children). */
  depth: number;
  /** Outputs placed in the cluster at this level. */
  n: number;
  incorrect: number;
  /** n × (incorrect share of the level): what independence of cluster and correctness predicts. */
  expectedIncorrect: number;
  errorRate: number;
  /** Error rate of the level's other outputs. */
  errorRateElsewhere: number;
  /** errorRate / errorRateElsewhere (Infinity when no other output was wrong). */
  riskRatio: number;
  /** Cramér's V (|φ|) of the 2 × 2 table: 0 = no association, 1 = the cluster decides correctness. */
  cramersV: number;
  pValue: number;
  /** Benjamini–Hochberg across every cluster of every level. */
  pAdjusted: number;
  /** Fisher's exact test when an expected cell count is below 5, else χ² with Yates' correction. */
  test: 'fisher' | 'chi-square';
}

/** The whole k × 2 table of one tree level. */
export interface LevelSummary {
  depth: number;
  /** Outputs placed at this level (an output whose sentences all end in shallower leaves is not). */
  n: number;
  incorrect: number;
  clusters: number;
  chiSquare: number;
  degreesOfFreedom: number;
  pValue: number;
  cramersV: number;
  /** Share of cells with expected count < 5 (above 0.2, read the χ² p-value with care; the per-cluster tests switch to Fisher). */
  lowExpectedShare: number;
}

/** How a per-output score relates to correctness. */
export interface ScoreRelation {
  /** Outputs with the score. */
  n: number;
  meanCorrect: number;
  meanIncorrect: number;
  /** Probability that a correct output scores higher than an incorrect one (ties ½). */
  auroc: number;
  /** Two-sided Mann–Whitney U test p-value. */
  pValue: number;
  /** Point-biserial correlation of the score with correct = 1. */
  pointBiserial: number;
}

/** What analyzeAnnotations found. */
export interface AnalysisResult {
  n: number;
  incorrect: number;
  correct: number;
  errorRate: number;
  /** Outputs with no clustered sentence (blank, or no corpus evidence), left out of every table. */
  skipped: number;
  /** Every tested cluster of every level, by adjusted p-value, then p-value. */
  clusters: ClusterFinding[];
  levels: LevelSummary[];
  /** Mean in_distribution of each output's rank-1 annotations vs correctness; null when the annotations carry none. */
  inDistribution: ScoreRelation | null;
  /** Mean rank-1 distance vs correctness (always available). */
  distance: ScoreRelation | null;
}

/**
 * Asks whether the incorrect outputs concentrate in particular corpus clusters. Each output is placed,
 * at each tree level, in the cluster most of its sentences' rank-1 clusters fall under at that level
 * (ties: the nearer one); each cluster's outputs are compared with the rest of the level (χ² or Fisher),
 * p-values are adjusted by Benjamini–Hochberg across all clusters, and the level's k × 2 table gets χ² and Cramér's V.
 */
export function analyzeAnnotations(items: readonly AnalyzeItem[], options: AnalyzeOptions = {}): AnalysisResult {
  if (items.length === 0) throw new InvalidInputError('analyze: no outputs to analyze');
  const incorrect = items.filter((item) => !item.correct).length;
  const correct = items.length - incorrect;
  if (incorrect === 0 || correct === 0) {
    throw new InvalidInputError(
      `analyze: all ${items.length} outputs are ${incorrect === 0 ? 'correct' : 'incorrect'}; with a single class there is nothing to compare the clusters against, so no test can be run. Label some outputs of the other class.`,
    );
  }
  const placed = items.map((item) => ({ correct: item.correct, top: rankOne(item.output) }));
  const skipped = placed.filter((item) => item.top.length === 0).length;
  const deepest = Math.max(0, ...placed.flatMap((item) => item.top.map((annotation) => annotation.clusterDepth)));
  const maxDepth = Math.min(deepest, options.maxDepth ?? deepest);

  const levels: LevelSummary[] = [];
  const findings: Array<Omit<ClusterFinding, 'pAdjusted'>> = [];
  for (let depth = 1; depth <= maxDepth; depth++) {
    const rows = new Map<string, { name: string; n: number; incorrect: number }>();
    for (const item of placed) {
      const cluster = majorityAt(item.top, depth);
      if (!cluster) continue;
      const row = rows.get(cluster.id) ?? { name: cluster.name, n: 0, incorrect: 0 };
      row.n++;
      if (!item.correct) row.incorrect++;
      rows.set(cluster.id, row);
    }
    // One cluster, or one class at this level, leaves nothing to compare.
    const n = [...rows.values()].reduce((sum, row) => sum + row.n, 0);
    const wrong = [...rows.values()].reduce((sum, row) => sum + row.incorrect, 0);
    if (rows.size < 2 || wrong === 0 || wrong === n) continue;
    const table = [...rows.values()].map((row) => [row.incorrect, row.n - row.incorrect]);
    const overall = chiSquareTest(table, { correction: false });
    levels.push({ depth, n, incorrect: wrong, clusters: rows.size, chiSquare: overall.statistic, degreesOfFreedom: overall.degreesOfFreedom, pValue: overall.pValue, cramersV: cramersV(table), lowExpectedShare: overall.lowExpectedShare });
    for (const [clusterId, row] of rows) findings.push(testCluster(clusterId, row, depth, n, wrong));
  }
  const adjusted = benjaminiHochberg(findings.map((finding) => finding.pValue));
  const clusters = findings
    .map((finding, position) => ({ ...finding, pAdjusted: adjusted[position]! }))
    .sort((a, b) => a.pAdjusted - b.pAdjusted || a.pValue - b.pValue || a.depth - b.depth || a.clusterId.localeCompare(b.clusterId));

  return {
    n: items.length,
    incorrect,
    correct,
    errorRate: incorrect / items.length,
    skipped,
    clusters,
    levels,
    inDistribution: relate(placed, (top) => mean(top.map(inDistributionOf).filter((value): value is number => value !== undefined))),
    distance: relate(placed, (top) => mean(top.map((annotation) => annotation.distance))),
  };
}

/** The 2 × 2 test of one cluster against the rest of its level. */
function testCluster(clusterId: string, row: { name: string; n: number; incorrect: number }, depth: number, n: number, wrong: number): Omit<ClusterFinding, 'pAdjusted'> {
  const a = row.incorrect;
  const b = row.n - row.incorrect;
  const c = wrong - a;
  const d = n - row.n - c;
  const table = [
    [a, b],
    [c, d],
  ];
  const expected = [row.n * wrong, row.n * (n - wrong), (n - row.n) * wrong, (n - row.n) * (n - wrong)].map((value) => value / n);
  const small = Math.min(...expected) < 5;
  const pValue = small ? fisherExact(a, b, c, d).pValue : chiSquareTest(table).pValue;
  const elsewhere = c / (n - row.n);
  const rate = a / row.n;
  return {
    clusterId,
    clusterName: row.name,
    depth,
    n: row.n,
    incorrect: a,
    expectedIncorrect: (row.n * wrong) / n,
    errorRate: rate,
    errorRateElsewhere: elsewhere,
    riskRatio: rate / elsewhere,
    cramersV: cramersV(table),
    pValue,
    test: small ? 'fisher' : 'chi-square',
  };
}

/** The rank-1 annotation of each sentence that has a cluster (sentences with no corpus evidence have none). */
function rankOne(output: AnnotatedOutput): Annotation[] {
  return output.annotations.filter(
    (annotation) => annotation.rank === 1 && typeof annotation.clusterId === 'string' && annotation.clusterId !== '' && (annotation as { noEvidence?: unknown }).noEvidence !== true,
  );
}

/** The cluster most sentences fall under at a depth (ties: smallest distance); undefined when no sentence reaches that depth. */
function majorityAt(top: readonly Annotation[], depth: number): { id: string; name: string } | undefined {
  const tally = new Map<string, { name: string; count: number; best: number }>();
  for (const annotation of top) {
    if (annotation.clusterDepth < depth) continue;
    const id = annotation.clusterId.split('.').slice(0, depth + 1).join('.');
    const name = annotation.clusterPath[depth - 1] ?? annotation.clusterName;
    const entry = tally.get(id) ?? { name, count: 0, best: Infinity };
    entry.count++;
    entry.best = Math.min(entry.best, annotation.distance);
    tally.set(id, entry);
  }
  const [winner] = [...tally].sort(([x, a], [y, b]) => b.count - a.count || a.best - b.best || x.localeCompare(y));
  return winner ? { id: winner[0], name: winner[1].name } : undefined;
}

/** Mann–Whitney, AUROC and point-biserial r of a per-output score against correctness. */
function relate(placed: Array<{ correct: boolean; top: Annotation[] }>, score: (top: Annotation[]) => number | undefined): ScoreRelation | null {
  const scored = placed.flatMap((item) => {
    const value = item.top.length > 0 ? score(item.top) : undefined;
    return value === undefined || !Number.isFinite(value) ? [] : [{ value, correct: item.correct }];
  });
  const good = scored.filter((item) => item.correct).map((item) => item.value);
  const bad = scored.filter((item) => !item.correct).map((item) => item.value);
  if (good.length === 0 || bad.length === 0) return null;
  const test = mannWhitneyU(good, bad);
  return {
    n: scored.length,
    meanCorrect: mean(good)!,
    meanIncorrect: mean(bad)!,
    auroc: test.auroc,
    pValue: test.pValue,
    pointBiserial: pearsonCorrelation(scored.map((item) => item.value), scored.map((item) => (item.correct ? 1 : 0))),
  };
}

/** in_distribution of an annotation, when the index was calibrated (a field added by the calibrated annotations). */
function inDistributionOf(annotation: Annotation): number | undefined {
  const value = (annotation as Annotation & { inDistribution?: unknown }).inDistribution;
  return typeof value === 'number' && Number.isFinite(value) ? value : undefined;
}

function mean(values: readonly number[]): number | undefined {
  return values.length === 0 ? undefined : values.reduce((sum, value) => sum + value, 0) / values.length;
}
