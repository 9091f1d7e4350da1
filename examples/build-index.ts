/**
 * Build a CorpusIndex from TypeScript with the offline defaults: the LSA embedder (TF-IDF + SVD,
 * fitted on the corpus), recursive UMAP + HDBSCAN, and keyword cluster names. No GPU, no network.
 *
 * Run it (after `pnpm install && pnpm build`):
 *   cd examples && pnpm exec tsx build-index.ts [work-folder]
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { buildCorpusIndex, loadCorpusIndex, type CorpusIndex, type ProgressEvent } from '@corpus-proximity/core';
import { createLsaEmbedder } from '@corpus-proximity/embedders';
import { createUmapHdbscanClusterer } from '@corpus-proximity/clusterers';
import { createKeywordNamer } from '@corpus-proximity/namers';
import { wordNetTopics } from './wordnet-topics.js';

/** Options of the build-index example. */
export interface BuildIndexExampleOptions {
  /** Folder for the corpus files and the index (created if missing). */
  workDirectory: string;
  /** WordNet glosses per topic (default 150, four topics): the first 80% are tagged pretrain, the rest sft. */
  perTopic?: number;
  /** Seeds the corpus slice, the LSA fit, UMAP and HDBSCAN: same seed, same index. */
  seed?: number;
  /** Where progress lines go (default console.log); pass () => {} for silence. */
  log?: (line: string) => void;
}

/** What the example built. */
export interface BuildIndexExampleResult {
  /** The index folder. */
  indexDirectory: string;
  /** The index, loaded back from disk (checksums verified). */
  index: CorpusIndex;
  /** The corpus files, by stage. */
  corpusFiles: { pretrain: string; sft: string };
}

/** Writes a small two-stage corpus, indexes it, loads the index back and prints its top-level clusters. */
export async function main(options: BuildIndexExampleOptions): Promise<BuildIndexExampleResult> {
  const log = options.log ?? console.log;
  const seed = options.seed ?? 7;
  const workDirectory = resolve(options.workDirectory);
  await mkdir(workDirectory, { recursive: true });

  // 1. A corpus: WordNet glosses ("sparrow: a small bird…") on animals, food, people and plants, as
  //    JSONL, one document per line. Every extra field (lexname, pos, synset) is kept in metadata.jsonl.
  const { corpus } = wordNetTopics({ perTopic: options.perTopic ?? 150, seed });
  const cut = Math.floor(corpus.length * 0.8);
  const corpusFiles = { pretrain: join(workDirectory, 'pretrain.jsonl'), sft: join(workDirectory, 'sft.jsonl') };
  const toJsonl = (records: object[]) => records.map((record) => JSON.stringify(record)).join('\n') + '\n';
  await writeFile(corpusFiles.pretrain, toJsonl(corpus.slice(0, cut)));
  await writeFile(corpusFiles.sft, toJsonl(corpus.slice(cut)));

  // 2. The three plugins. Factories do no I/O; the LSA embedder is fitted on the corpus inside
  //    buildCorpusIndex (doFit) and its state is stored in the index, so queries can be embedded later.
  const embedder = createLsaEmbedder({ dimensions: 128, onWarning: (message) => log(`warning: ${message}`) });
  // UMAP to 5 dimensions and 100 epochs keep this example fast; the defaults are 50 and 200.
  const clusterer = createUmapHdbscanClusterer({ nComponents: 5, nEpochs: 100 });
  const namer = createKeywordNamer({ words: 3 });

  // 3. Build. Each input carries its training stage; annotations report the stage of the nearest chunk.
  const indexDirectory = join(workDirectory, 'index');
  const { stats, log: buildLog } = await buildCorpusIndex({
    inputs: [
      { path: corpusFiles.pretrain, stage: 'pretrain' },
      { path: corpusFiles.sft, stage: 'sft' },
    ],
    output: indexDirectory,
    embedder,
    clusterer,
    namer,
    seed,
    // Seed-004 rules with a shallower tree for a corpus this small.
    clustering: { maxDepth: 2 },
    onProgress: progressPrinter(log),
    onWarning: (message) => log(`warning: ${message}`),
  });
  log(`built ${indexDirectory}: ${String(stats.chunks ?? '?')} chunks in ${Object.values(buildLog.timings_ms).reduce((a, b) => a + b, 0)} ms`);

  // 4. Load it back, as annotate would (every file is checked against manifest.json).
  const index = await loadCorpusIndex(indexDirectory);
  log(`embedder ${index.manifest.embedder.id}, ${index.dimension} dimensions, ${index.manifest.counts.clusters} tree nodes`);
  for (const child of index.tree.children) {
    log(`  ${child.cluster_id.padEnd(6)} ${child.name} (${child.size} chunks, ${child.noise_count} noise, ${child.children.length} children)`);
  }
  log(`  noise at the root: ${index.tree.noise_count} chunks`);
  return { indexDirectory, index, corpusFiles };
}

/** Prints one line per stage change, then every quarter of a stage with a known total. */
function progressPrinter(log: (line: string) => void): (event: ProgressEvent) => void {
  let lastStage = '';
  let lastQuarter = -1;
  return (event) => {
    const quarter = event.total ? Math.floor((4 * event.done) / event.total) : -1;
    if (event.stage === lastStage && (quarter === lastQuarter || quarter < 0)) return;
    lastStage = event.stage;
    lastQuarter = quarter;
    const count = event.total ? `${event.done}/${event.total}` : `${event.done}`;
    log(`[${event.stage}] ${count}${event.message ? ` ${event.message}` : ''}`);
  };
}

// Run when executed directly; by default into the repository's out/ folder (git-ignored) (tsx build-index.ts), not when imported by the tests.
if (process.argv[1] && import.meta.url === pathToFileURL(resolve(process.argv[1])).href) {
  await main({ workDirectory: process.argv[2] ?? fileURLToPath(new URL('../out/build-index-example', import.meta.url)) });
}
