/**
 * Write your own clusterer: a ClustererV1 object literal that splits one set of vectors. Here it is
 * HDBSCAN straight on the embeddings, without UMAP first (fine for low-dimensional embeddings).
 * Core still owns the recursion: min_cluster_size per depth, silhouette gating, noise, max depth.
 *
 * Run it (after `pnpm install && pnpm build`):
 *   cd examples && pnpm exec tsx custom-clusterer.ts [work-folder]
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { AbortedError, buildCorpusIndex, type ClusterNode, type ClustererV1 } from '@corpus-proximity/core';
import { hdbscan } from '@corpus-proximity/clusterers';
import { createLsaEmbedder } from '@corpus-proximity/embedders';
import { createKeywordNamer } from '@corpus-proximity/namers';
import { wordNetTopics } from './wordnet-topics.js';

/** HDBSCAN on the vectors as they are (Euclidean on unit vectors ranks pairs like cosine distance). */
export function createPlainHdbscanClusterer(): ClustererV1 {
  return {
    specificationVersion: 'clusterer-v1',
    id: 'plain-hdbscan',
    async doCluster({ vectors, minClusterSize, minSamples, abortSignal }) {
      if (abortSignal?.aborted) throw new AbortedError('plain-hdbscan: clustering was aborted');
      // Too few points for any cluster: everything is noise (-1).
      if (vectors.length < Math.max(2, minClusterSize)) return { labels: new Int32Array(vectors.length).fill(-1) };
      const { labels } = hdbscan(vectors, {
        minClusterSize: Math.max(2, minClusterSize),
        minSamples: Math.max(1, Math.min(minSamples, vectors.length - 1)),
      });
      return { labels };
    },
  };
}

/** Options of the custom-clusterer example. */
export interface CustomClustererExampleOptions {
  workDirectory: string;
  /** WordNet glosses per topic (default 100, four topics). */
  perTopic?: number;
  log?: (line: string) => void;
}

/** Builds a small index with the custom clusterer (on 8-dimensional LSA vectors) and prints the tree. */
export async function main(options: CustomClustererExampleOptions) {
  const log = options.log ?? console.log;
  const workDirectory = resolve(options.workDirectory);
  await mkdir(workDirectory, { recursive: true });
  const corpusFile = join(workDirectory, 'corpus.jsonl');
  const { corpus } = wordNetTopics({ perTopic: options.perTopic ?? 100, seed: 5 });
  await writeFile(corpusFile, corpus.map((record) => JSON.stringify(record)).join('\n') + '\n');

  const { index } = await buildCorpusIndex({
    inputs: [{ path: corpusFile }],
    output: join(workDirectory, 'index'),
    embedder: createLsaEmbedder({ dimensions: 8, onWarning: () => {} }),
    clusterer: createPlainHdbscanClusterer(),
    namer: createKeywordNamer(),
    clustering: { maxDepth: 2 },
    seed: 5,
  });
  const print = (node: ClusterNode) => {
    const why = node.leaf_reason ? `, leaf: ${node.leaf_reason}` : '';
    log(`${'  '.repeat(node.depth)}${node.cluster_id} ${node.name} (${node.size} chunks, ${node.noise_count} noise${why})`);
    node.children.forEach(print);
  };
  print(index.tree);
  return { index };
}

// Run when executed directly; by default into the repository's out/ folder (git-ignored) (tsx custom-clusterer.ts), not when imported by the tests.
if (process.argv[1] && import.meta.url === pathToFileURL(resolve(process.argv[1])).href) {
  await main({ workDirectory: process.argv[2] ?? fileURLToPath(new URL('../out/custom-clusterer-example', import.meta.url)) });
}
