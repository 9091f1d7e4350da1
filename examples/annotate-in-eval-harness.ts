/**
 * Annotate inside an eval harness: load an index, rebuild its query embedder, annotate a batch of
 * model outputs that carry a correctness label, then ask "do the errors come from particular corpus
 * regions?" with an error rate per cluster, a χ² test, Cramér's V and Fisher's exact test.
 *
 * Run it (after `pnpm install && pnpm build`):
 *   cd examples && pnpm exec tsx annotate-in-eval-harness.ts [work-folder] [index-folder]
 * Without an index folder it first builds one with the build-index example.
 */
import { resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { loadCorpusIndex, type AnnotatedOutput } from '@corpus-proximity/core';
import { embedderFromManifest } from '@corpus-proximity/embedders';
import {
  annotateBatch,
  chiSquareTest,
  clusterContingency,
  cramersV,
  fisherExact,
  type ChiSquareResult,
  type FisherExactResult,
} from '@corpus-proximity/annotate';
import { main as buildIndex } from './build-index.js';
import { wordNetTopics } from './wordnet-topics.js';

/** Options of the eval-harness example. */
export interface EvalHarnessExampleOptions {
  /** Folder for an index built on the fly when `indexDirectory` is not given. */
  workDirectory: string;
  /** An index built by the build-index example (or by `corpus-proximity index` on the same corpus). */
  indexDirectory?: string;
  /** Model outputs per topic (default 15). */
  outputsPerTopic?: number;
  log?: (line: string) => void;
}

/** One row of the per-cluster error table. */
export interface ClusterErrorRow {
  clusterId: string;
  clusterName: string;
  outputs: number;
  errors: number;
  errorRate: number;
}

/** What the example computed. */
export interface EvalHarnessExampleResult {
  outputs: AnnotatedOutput[];
  /** Whether each output was correct, in the order of `outputs`. */
  correct: boolean[];
  /** Outputs grouped by the top-level cluster most of their sentences are nearest to. */
  table: ClusterErrorRow[];
  chiSquare: ChiSquareResult;
  cramersV: number;
  /** The cluster with the highest error rate against all others (2 × 2). */
  worst: { clusterId: string; fisher: FisherExactResult };
}

/** Annotates labelled model outputs and prints an error rate per corpus cluster with its statistics. */
export async function main(options: EvalHarnessExampleOptions): Promise<EvalHarnessExampleResult> {
  const log = options.log ?? console.log;
  const indexDirectory = options.indexDirectory ?? (await buildIndex({ workDirectory: options.workDirectory, log: () => {} })).indexDirectory;

  // 1. Load the index and rebuild the embedder it was built with. For a corpus-fitted embedder
  //    (LSA) the fitted state lives in the index's embedder/ folder, so queries land in the same space.
  const index = await loadCorpusIndex(indexDirectory);
  const embedder = embedderFromManifest(
    { ...index.embedder, settings: index.manifest.embedder.settings },
    index.embedder.state?.files ?? {},
  );

  // 2. The eval set: in a real harness these are your model's generations and your grader's verdicts.
  //    Here each "output" is a held-out WordNet gloss (not in the corpus) and the verdicts are
  //    simulated: the pretend model is wrong more often about food than about anything else.
  const { heldOut } = wordNetTopics({ perTopic: 150, heldOutPerTopic: options.outputsPerTopic ?? 15, seed: 7 });
  const evalSet = heldOut.map((record, position) => {
    const [lemmas = '', gloss = ''] = splitOnce(record.text, ': ');
    const subject = lemmas.split(', ')[0]!;
    const errorRate = record.lexname === 'noun.food' ? 0.6 : 0.1;
    return {
      prompt: `What is ${subject}?`,
      text: `The word "${subject}" refers to ${gloss}. I am fairly sure of this.`,
      correct: pseudoRandom(position) >= errorRate,
    };
  });

  // 3. Annotate everything in one call: all sentences are embedded together, in batches.
  const outputs = await annotateBatch(index, embedder, evalSet, { k: 3 });
  const first = outputs[0]!.annotations.filter((annotation) => annotation.sentenceIndex === 0);
  log(`"${outputs[0]!.text}"`);
  for (const annotation of first) {
    // A sentence can have no cluster: none of its words known to the corpus or the embedder (see docs/annotate.md).
    if (annotation.noEvidence) log(`  (no cluster: ${annotation.confidence}, ${Math.round((annotation.tokenCoverage ?? 0) * 100)}% of its words in the corpus)`);
    else log(`  [${annotation.rank}] ${annotation.clusterName} (${annotation.clusterId}, d=${annotation.distance.toFixed(3)}, ${annotation.corpusStage}, ${annotation.confidence})`);
  }
  log(`  verdict: ${outputs[0]!.confidence}, mean in-distribution ${outputs[0]!.meanInDistribution?.toFixed(2) ?? 'n/a'}`);

  // 4. Cross-tabulate: each output counts once, in the top-level cluster (depth 1) that most of its
  //    sentences are nearest to (rank 1). Use { unit: 'sentence' } to count sentences instead.
  const contingency = clusterContingency(
    outputs.map((output, position) => ({ output, outcome: evalSet[position]!.correct ? 'correct' : 'incorrect' })),
    { depth: 1 },
  );
  const incorrectColumn = contingency.outcomes.indexOf('incorrect');
  const table = contingency.clusters.map((clusterId, row): ClusterErrorRow => {
    const counts = contingency.table[row]!;
    const outputsInCluster = counts.reduce((sum, count) => sum + count, 0);
    const errors = incorrectColumn >= 0 ? counts[incorrectColumn]! : 0;
    return { clusterId, clusterName: contingency.names[row]!, outputs: outputsInCluster, errors, errorRate: errors / outputsInCluster };
  });
  log('');
  log('cluster   outputs  errors  error rate  name');
  for (const row of table) {
    log(`${row.clusterId.padEnd(9)} ${String(row.outputs).padStart(7)} ${String(row.errors).padStart(7)} ${(100 * row.errorRate).toFixed(0).padStart(10)}%  ${row.clusterName}`);
  }

  // 5. Is the error rate independent of the corpus region? χ² over the whole table (with the share
  //    of small expected counts as a warning sign), Cramér's V as the effect size, and Fisher's exact
  //    test for the worst cluster against the rest.
  const chiSquare = chiSquareTest(contingency.table);
  const effect = cramersV(contingency.table);
  const worstRow = table.reduce((best, row) => (row.errorRate > best.errorRate ? row : best), table[0]!);
  const rest = table.filter((row) => row !== worstRow);
  const restErrors = rest.reduce((sum, row) => sum + row.errors, 0);
  const restOutputs = rest.reduce((sum, row) => sum + row.outputs, 0);
  const fisher = fisherExact(worstRow.errors, worstRow.outputs - worstRow.errors, restErrors, restOutputs - restErrors, 'greater');
  log('');
  log(`χ² = ${chiSquare.statistic.toFixed(2)}, df = ${chiSquare.degreesOfFreedom}, p = ${chiSquare.pValue.toPrecision(3)}` +
    (chiSquare.lowExpectedShare > 0.2 ? ` (${(100 * chiSquare.lowExpectedShare).toFixed(0)}% of expected counts < 5: read with care)` : ''));
  log(`Cramér's V = ${effect.toFixed(3)}`);
  log(`Fisher (${worstRow.clusterId} "${worstRow.clusterName}" vs the rest, one-sided): odds ratio ${fisher.oddsRatio.toFixed(2)}, p = ${fisher.pValue.toPrecision(3)}`);

  return { outputs, correct: evalSet.map((item) => item.correct), table, chiSquare, cramersV: effect, worst: { clusterId: worstRow.clusterId, fisher } };
}

/** A fixed pseudo-random number in [0, 1) per position (a stand-in for a grader's verdicts). */
function pseudoRandom(position: number): number {
  const x = Math.sin(position * 12.9898 + 78.233) * 43758.5453;
  return x - Math.floor(x);
}

function splitOnce(text: string, separator: string): [string, string] {
  const at = text.indexOf(separator);
  return at < 0 ? [text, ''] : [text.slice(0, at), text.slice(at + separator.length)];
}

// Run when executed directly; by default into the repository's out/ folder (git-ignored) (tsx annotate-in-eval-harness.ts), not when imported by the tests.
if (process.argv[1] && import.meta.url === pathToFileURL(resolve(process.argv[1])).href) {
  const workDirectory = process.argv[2] ?? fileURLToPath(new URL('../out/eval-harness-example', import.meta.url));
  await main({ workDirectory, indexDirectory: process.argv[3] });
}
