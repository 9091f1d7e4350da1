// Shared by the benchmarks that run the pipeline from source: the workspace's TypeScript bundled with
// esbuild (no package build needed), and a seeded sample of WordNet 3.1 glosses embedded by LSA.
import { execFileSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { readWordNetGlosses } from '../../examples/wordnet/wordnet-corpus.mjs';

const root = fileURLToPath(new URL('../../', import.meta.url));

/** Bundles bench/pipeline/entry.ts (core, LSA, clusterers from source) and imports it. */
export async function importPipelineSources() {
  const bundle = join(mkdtempSync(join(tmpdir(), 'pipeline-bench-')), 'bundle.mjs');
  execFileSync(join(root, 'node_modules/.bin/esbuild'), ['bench/pipeline/entry.ts', '--bundle', '--platform=node', '--format=esm', `--outfile=${bundle}`, '--log-level=warning'], { cwd: root });
  return import(bundle);
}

/** The first `limit` glosses of all parts of speech after a shuffle seeded by `seed` (the demo's reader). */
export function wordnetGlossSample(sources, limit, seed) {
  return sources.shuffleInPlace(readWordNetGlosses().map((record) => record.gloss), sources.createRandom(seed)).slice(0, limit);
}

/** That sample embedded by an LSA embedder of `dimensions` fitted on it: the same vectors for every benchmark. */
export async function wordnetLsa(sources, { limit, dimensions, seed }) {
  const glosses = wordnetGlossSample(sources, limit, seed);
  const embedder = sources.createLsaEmbedder({ dimensions, onWarning: () => undefined });
  await embedder.doFit({ values: glosses, seed });
  return { glosses, embeddings: await sources.embedChunks(embedder, glosses), dimension: embedder.dimensions };
}
