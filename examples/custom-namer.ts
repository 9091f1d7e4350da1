/**
 * Write your own namer: a NamerV1 object literal that labels a cluster with the two words its
 * texts use far more often than its siblings' texts do. Core calls it once per cluster,
 * breadth-first, with the ancestors' names and the names already given to siblings.
 *
 * Run it (after `pnpm install && pnpm build`):
 *   cd examples && pnpm exec tsx custom-namer.ts [work-folder]
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { buildCorpusIndex, walkBreadthFirst, type ClusterNode, type NamerV1 } from '@corpus-proximity/core';
import { createLsaEmbedder } from '@corpus-proximity/embedders';
import { createUmapHdbscanClusterer } from '@corpus-proximity/clusterers';
import { createKeywordNamer } from '@corpus-proximity/namers';
import { wordNetTopics } from './wordnet-topics.js';

const STOP_WORDS = new Set(
  'a an and are as at be by for from has have in is it its of on or that the their this to was were which with who whose having made used usually especially often genus family'.split(' '),
);

/** A namer with no model and no API: "Bird & Feathers" from document frequencies against the siblings. */
export function createFrequentWordsNamer(): NamerV1 {
  return {
    specificationVersion: 'namer-v1',
    id: 'frequent-words',
    async doName({ clusterId, texts, samples, siblingTexts, parentPath, siblingNames }) {
      const own = texts.length > 0 ? texts : samples;
      const ownShare = documentShares(own);
      const siblingShare = documentShares(siblingTexts.flat());
      // A parent's words say nothing new about its child.
      const parentWords = new Set(parentPath.join(' ').toLowerCase().split(/[^\p{L}\p{N}]+/u));
      const ranked = [...ownShare.entries()]
        .filter(([word]) => !parentWords.has(word))
        .map(([word, share]) => ({ word, score: share - (siblingShare.get(word) ?? 0) }))
        .sort((a, b) => b.score - a.score || (a.word < b.word ? -1 : 1))
        .map(({ word }) => word[0]!.toUpperCase() + word.slice(1));
      if (ranked.length === 0) return { name: `Cluster ${clusterId}`, naming: 'frequent-words' };
      // Two words, swapping the second until no sibling has the label.
      const taken = new Set(siblingNames.map((name) => name.toLowerCase()));
      let name = ranked.slice(0, 2).join(' & ');
      for (let next = 2; taken.has(name.toLowerCase()) && next < ranked.length; next++) name = `${ranked[0]} & ${ranked[next]}`;
      return {
        name,
        description: `${own.length} texts; most distinctive words: ${ranked.slice(0, 6).join(', ')}.`,
        naming: 'frequent-words',
      };
    },
  };
}

/** Options of the custom-namer example. */
export interface CustomNamerExampleOptions {
  workDirectory: string;
  /** WordNet glosses per topic (default 100, four topics). */
  perTopic?: number;
  log?: (line: string) => void;
}

/** Builds a small index named by the custom namer (with the keyword namer as fallback) and prints the tree. */
export async function main(options: CustomNamerExampleOptions) {
  const log = options.log ?? console.log;
  const workDirectory = resolve(options.workDirectory);
  await mkdir(workDirectory, { recursive: true });
  const corpusFile = join(workDirectory, 'corpus.jsonl');
  const { corpus } = wordNetTopics({ perTopic: options.perTopic ?? 100, seed: 7 });
  await writeFile(corpusFile, corpus.map((record) => JSON.stringify(record)).join('\n') + '\n');

  const { index } = await buildCorpusIndex({
    inputs: [{ path: corpusFile }],
    output: join(workDirectory, 'index'),
    embedder: createLsaEmbedder({ dimensions: 128, onWarning: () => {} }),
    clusterer: createUmapHdbscanClusterer({ nComponents: 5, nEpochs: 100 }),
    namer: createFrequentWordsNamer(),
    // Used for any cluster whose doName throws or returns an empty name; tree.json then says "keywords-fallback".
    fallbackNamer: createKeywordNamer(),
    clustering: { maxDepth: 2 },
    seed: 7,
  });

  const print = (node: ClusterNode) => {
    log(`${'  '.repeat(node.depth)}${node.cluster_id} ${node.name} (${node.size} chunks, naming: ${node.naming ?? 'root'})`);
    node.children.forEach(print);
  };
  print(index.tree);
  const nodes: ClusterNode[] = [];
  walkBreadthFirst(index.tree, (node) => nodes.push(node));
  return { index, nodes };
}

/** For each word: the share of the texts that contain it. */
function documentShares(texts: readonly string[]): Map<string, number> {
  const counts = new Map<string, number>();
  for (const text of texts) {
    const words = new Set(text.toLowerCase().match(/\p{L}{3,}/gu) ?? []);
    for (const word of words) if (!STOP_WORDS.has(word)) counts.set(word, (counts.get(word) ?? 0) + 1);
  }
  for (const [word, count] of counts) counts.set(word, count / Math.max(1, texts.length));
  return counts;
}

// Run when executed directly; by default into the repository's out/ folder (git-ignored) (tsx custom-namer.ts), not when imported by the tests.
if (process.argv[1] && import.meta.url === pathToFileURL(resolve(process.argv[1])).href) {
  await main({ workDirectory: process.argv[2] ?? fileURLToPath(new URL('../out/custom-namer-example', import.meta.url)) });
}
