import { writeFileSync } from 'node:fs';
import { join } from 'node:path';

const topics = ['birds and feathers fly south', 'bread and ovens bake dough', 'ships and sails cross the sea', 'music and songs need rhythm', 'rivers and lakes hold water', 'stars and planets orbit far'];

/**
 * Writes a small JSONL corpus (`lines` records over six topics) and a fast config (LSA 32 d,
 * depth 1, UMAP 4 d) into `folder`; returns their paths. Indexes in about a second.
 */
export function writeSmallCorpus(folder: string, lines = 300): { corpus: string; config: string } {
  const corpus = join(folder, 'small.jsonl');
  const config = join(folder, 'small-config.json');
  const records = Array.from({ length: lines }, (_, i) => JSON.stringify({ text: `note ${i}: ${topics[i % topics.length]} while word${i % 17} and term${i % 11} appear` }));
  writeFileSync(corpus, `${records.join('\n')}\n`);
  writeFileSync(config, JSON.stringify({ dimensions: 32, clustering: { maxDepth: 1 }, umap: { nComponents: 4 } }));
  return { corpus, config };
}
