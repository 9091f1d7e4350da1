// How well can routing by nearest neighbours reproduce a fitted tree at all? Leave-one-out: for a
// seeded sample of chunks, the majority cluster (at depth 1 and at the leaves, noise counting as its
// node's label) among the k most similar *other* chunks of the full fit, compared with the chunk's own.
// Reads the full fit cached by fit-sample-agreement.mjs (same --limit/--dimensions/--seed).
//   node bench/pipeline/fit-sample-agreement.mjs --variants '' --full-cache /tmp/full.json
//   node bench/pipeline/routing-ceiling.mjs --full-cache /tmp/full.json [--queries 1500] [--k 1,10,30]
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { importPipelineSources, wordnetLsa } from './sources.mjs';

const { values: args } = parseArgs({ options: { 'full-cache': { type: 'string' }, queries: { type: 'string', default: '1500' }, k: { type: 'string', default: '1,10,30' } } });
if (!args['full-cache']) throw new Error('--full-cache FILE (written by fit-sample-agreement.mjs) is required');
const cached = JSON.parse(readFileSync(args['full-cache'], 'utf8'));
const { limit, dimensions, seed } = cached.key;
if (cached.key.data === 'synthetic') throw new Error('routing-ceiling reads WordNet fits only');
const sources = await importPipelineSources();
// the same glosses and vectors as fit-sample-agreement.mjs
const { embeddings: vectors } = await wordnetLsa(sources, { limit, dimensions, seed });
const clusters = cached.full.assignment.clusters;
const n = clusters.length;
const random = sources.createRandom(7);
const queries = Array.from({ length: Number(args.queries) }, () => Math.floor(random() * n));
const ks = args.k.split(',').map(Number);
const maxK = Math.max(...ks);
const hits = new Map(ks.flatMap((k) => [[`1:${k}`, 0], [`leaf:${k}`, 0]]));
const atDepth = (id, depth) => id.split('.').slice(0, depth + 1).join('.');
for (const query of queries) {
  // the maxK most similar other chunks (LSA rows are unit length: cosine = dot)
  const top = [];
  for (let j = 0; j < n; j++) {
    if (j === query) continue;
    let dot = 0;
    for (let d = 0; d < dimensions; d++) dot += vectors[query * dimensions + d] * vectors[j * dimensions + d];
    if (top.length === maxK && dot <= top[maxK - 1][0]) continue;
    top.push([dot, j]);
    top.sort((a, b) => b[0] - a[0]);
    if (top.length > maxK) top.pop();
  }
  for (const k of ks) {
    for (const [name, label] of [['1', (id) => atDepth(id, 1)], ['leaf', (id) => id]]) {
      const votes = new Map();
      for (const [, j] of top.slice(0, k)) votes.set(label(clusters[j]), (votes.get(label(clusters[j])) ?? 0) + 1);
      const winner = [...votes.entries()].sort((a, b) => b[1] - a[1])[0][0];
      if (winner === label(clusters[query])) hits.set(`${name}:${k}`, hits.get(`${name}:${k}`) + 1);
    }
  }
}
console.log(JSON.stringify({ chunks: n, queries: queries.length, accuracy: Object.fromEntries([...hits].map(([key, value]) => [key, Number((value / queries.length).toFixed(3))])) }));
