import { InvalidInputError, type AnnotatedOutput, type Annotation } from '@corpus-proximity/core';

/** Counts of outcomes per cluster, ready for chiSquareTest, cramersV or (2 × 2) fisherExact. */
export interface ClusterContingency {
  /** Cluster id of each row, in tree order ("0.1" before "0.2" before "0.10"). */
  clusters: string[];
  /** Cluster name of each row. */
  names: string[];
  /** Outcome of each column, as text, sorted. */
  outcomes: string[];
  /** table[row][column]: how many outputs (or sentences) of that cluster had that outcome. */
  table: number[][];
  /** Outputs with no annotation that has a cluster (blank text, or only no-evidence, code or math sentences). */
  skipped: number;
}

/** Options of clusterContingency. */
export interface ClusterContingencyOptions {
  /** Count each output once, in the cluster most of its sentences are nearest to (default), or count every sentence. */
  unit?: 'output' | 'sentence';
  /** Compare clusters at this depth (1 = the root's children); deeper clusters count in their ancestor. Default: the deepest. */
  depth?: number;
}

/**
 * Cross-tabulates annotated outputs by nearest cluster and an outcome the eval harness knows
 * (correct / incorrect, a grade, a model name), to ask "do errors come from particular corpus regions?".
 */
export function clusterContingency(
  items: Array<{ output: AnnotatedOutput; outcome: string | number | boolean }>,
  options: ClusterContingencyOptions = {},
): ClusterContingency {
  const depth = options.depth;
  if (depth !== undefined && (!Number.isInteger(depth) || depth < 1)) {
    throw new InvalidInputError(`clusterContingency: depth must be an integer ≥ 1 (1 = the root's children); got ${depth}`);
  }
  const counts = new Map<string, Map<string, number>>();
  const names = new Map<string, string>();
  const outcomes = new Set<string>();
  let skipped = 0;
  for (const { output, outcome } of items) {
    // Sentences with no corpus evidence (and code or math spans) have no cluster to count.
    const nearest = output.annotations.filter((annotation) => annotation.rank === 1 && !annotation.noEvidence).map((annotation) => atDepth(annotation, depth));
    if (nearest.length === 0) {
      skipped++;
      continue;
    }
    const label = String(outcome);
    outcomes.add(label);
    for (const cluster of options.unit === 'sentence' ? nearest : [majority(nearest)]) {
      names.set(cluster.id, cluster.name);
      const row = counts.get(cluster.id) ?? new Map<string, number>();
      row.set(label, (row.get(label) ?? 0) + 1);
      counts.set(cluster.id, row);
    }
  }
  const clusters = [...counts.keys()].sort(compareClusterIds);
  const columns = [...outcomes].sort();
  return {
    clusters,
    names: clusters.map((id) => names.get(id)!),
    outcomes: columns,
    table: clusters.map((id) => columns.map((label) => counts.get(id)!.get(label) ?? 0)),
    skipped,
  };
}

interface ClusterChoice {
  id: string;
  name: string;
  distance: number;
}

/** The annotation's cluster, or its ancestor at the given depth. */
function atDepth(annotation: Annotation, depth: number | undefined): ClusterChoice {
  if (depth === undefined || annotation.clusterDepth <= depth) {
    return { id: annotation.clusterId, name: annotation.clusterName, distance: annotation.distance };
  }
  return {
    id: annotation.clusterId.split('.').slice(0, depth + 1).join('.'),
    name: annotation.clusterPath[depth - 1] ?? annotation.clusterName,
    distance: annotation.distance,
  };
}

/** The most frequent cluster; ties go to the one with the smallest distance. */
function majority(choices: ClusterChoice[]): ClusterChoice {
  const tally = new Map<string, { choice: ClusterChoice; count: number; best: number }>();
  for (const choice of choices) {
    const entry = tally.get(choice.id);
    if (entry) {
      entry.count++;
      entry.best = Math.min(entry.best, choice.distance);
    } else tally.set(choice.id, { choice, count: 1, best: choice.distance });
  }
  return [...tally.values()].sort((x, y) => y.count - x.count || x.best - y.best)[0]!.choice;
}

/** Orders dotted cluster ids numerically, part by part. */
function compareClusterIds(x: string, y: string): number {
  const xs = x.split('.').map(Number);
  const ys = y.split('.').map(Number);
  for (let i = 0; i < Math.min(xs.length, ys.length); i++) if (xs[i] !== ys[i]) return xs[i]! - ys[i]!;
  return xs.length - ys.length;
}
