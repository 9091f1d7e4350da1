import type { AnalysisResult, ScoreRelation } from './analyze-annotations.js';

/** The JSON shape `corpus-proximity analyze --json` prints: clusters by adjusted p-value, then the overall figures. */
export interface AnalysisJson {
  clusters: Array<{
    cluster_id: string;
    cluster_name: string;
    depth: number;
    n: number;
    incorrect: number;
    expected_incorrect: number;
    cramers_v: number;
    p_value: number;
    p_adjusted: number;
    test: 'fisher' | 'chi-square';
  }>;
  overall: {
    n: number;
    correct: number;
    incorrect: number;
    error_rate: number;
    skipped: number;
    levels: Array<{ depth: number; n: number; incorrect: number; clusters: number; chi_square: number; degrees_of_freedom: number; p_value: number; cramers_v: number; low_expected_share: number }>;
    in_distribution: ScoreRelationJson | null;
    distance: ScoreRelationJson | null;
  };
}

/** A score's relation to correctness in JSON. */
export interface ScoreRelationJson {
  n: number;
  mean_correct: number;
  mean_incorrect: number;
  auroc: number;
  p_value: number;
  point_biserial: number;
}

/** Converts an analysis to the JSON of `analyze --json`. */
export function analysisToJson(result: AnalysisResult): AnalysisJson {
  return {
    clusters: result.clusters.map((finding) => ({
      cluster_id: finding.clusterId,
      cluster_name: finding.clusterName,
      depth: finding.depth,
      n: finding.n,
      incorrect: finding.incorrect,
      expected_incorrect: finding.expectedIncorrect,
      cramers_v: finding.cramersV,
      p_value: finding.pValue,
      p_adjusted: finding.pAdjusted,
      test: finding.test,
    })),
    overall: {
      n: result.n,
      correct: result.correct,
      incorrect: result.incorrect,
      error_rate: result.errorRate,
      skipped: result.skipped,
      levels: result.levels.map((level) => ({
        depth: level.depth,
        n: level.n,
        incorrect: level.incorrect,
        clusters: level.clusters,
        chi_square: level.chiSquare,
        degrees_of_freedom: level.degreesOfFreedom,
        p_value: level.pValue,
        cramers_v: level.cramersV,
        low_expected_share: level.lowExpectedShare,
      })),
      in_distribution: relationToJson(result.inDistribution),
      distance: relationToJson(result.distance),
    },
  };
}

/** A readable report: the overall figures, one line per level, the clusters table (at most `limit` rows, default 20) and the score relations. */
export function formatAnalysis(result: AnalysisResult, options: { limit?: number } = {}): string {
  const lines = [`${result.n} outputs, ${result.incorrect} incorrect (${percent(result.errorRate)})${result.skipped ? `, ${result.skipped} with no clustered sentence (left out)` : ''}`, ''];
  if (result.levels.length === 0) lines.push('No tree level has two clusters with outputs in them: there is nothing to compare.');
  for (const level of result.levels) {
    lines.push(
      `Level ${level.depth}: ${level.n} outputs in ${level.clusters} clusters; χ²(${level.degreesOfFreedom}) = ${level.chiSquare.toFixed(2)}, p = ${pValue(level.pValue)}, Cramér's V = ${level.cramersV.toFixed(3)}` +
        (level.lowExpectedShare > 0.2 ? ` (${percent(level.lowExpectedShare)} of cells expect < 5: read χ² with care)` : ''),
    );
  }
  const limit = options.limit ?? 20;
  const shown = result.clusters.slice(0, limit);
  if (shown.length > 0) {
    lines.push('', 'Clusters, by adjusted p-value (Benjamini–Hochberg across all clusters and levels):');
    const header = ['cluster', 'name', 'level', 'n', 'incorrect', 'expected', 'rate', 'elsewhere', "Cramér's V", 'p', 'p adj.', 'test'];
    const rows = shown.map((finding) => [
      finding.clusterId,
      finding.clusterName.length > 32 ? `${finding.clusterName.slice(0, 31)}…` : finding.clusterName,
      String(finding.depth),
      String(finding.n),
      String(finding.incorrect),
      finding.expectedIncorrect.toFixed(1),
      percent(finding.errorRate),
      percent(finding.errorRateElsewhere),
      finding.cramersV.toFixed(3),
      pValue(finding.pValue),
      pValue(finding.pAdjusted),
      finding.test,
    ]);
    const widths = header.map((title, column) => Math.max(title.length, ...rows.map((row) => row[column]!.length)));
    const render = (row: string[]) => '  ' + row.map((cell, column) => (column === 1 || column === 0 || column === 11 ? cell.padEnd(widths[column]!) : cell.padStart(widths[column]!))).join('  ').trimEnd();
    lines.push(render(header), ...rows.map(render));
    if (result.clusters.length > shown.length) lines.push(`  … ${result.clusters.length - shown.length} more (--json lists all)`);
  }
  lines.push('');
  lines.push(relationLine('in_distribution', result.inDistribution, 'the annotations carry no in_distribution (index not calibrated)'));
  lines.push(relationLine('rank-1 distance', result.distance, 'no output has a clustered sentence'));
  return lines.join('\n') + '\n';
}

function relationLine(name: string, relation: ScoreRelation | null, missing: string): string {
  if (!relation) return `${name} vs correctness: ${missing}.`;
  return (
    `${name} vs correctness (${relation.n} outputs): mean ${relation.meanCorrect.toFixed(3)} correct vs ${relation.meanIncorrect.toFixed(3)} incorrect; ` +
    `AUROC ${relation.auroc.toFixed(3)} (P(correct scores higher)), Mann–Whitney p = ${pValue(relation.pValue)}, point-biserial r = ${relation.pointBiserial.toFixed(3)}`
  );
}

function relationToJson(relation: ScoreRelation | null): ScoreRelationJson | null {
  return relation && { n: relation.n, mean_correct: relation.meanCorrect, mean_incorrect: relation.meanIncorrect, auroc: relation.auroc, p_value: relation.pValue, point_biserial: relation.pointBiserial };
}

function percent(value: number): string {
  return Number.isFinite(value) ? `${(value * 100).toFixed(0)}%` : '—';
}

function pValue(value: number): string {
  return value < 1e-4 ? value.toExponential(1) : value.toFixed(4);
}
