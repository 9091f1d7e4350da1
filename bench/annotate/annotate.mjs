// Benchmark of @corpus-proximity/annotate: sentence splitting, and annotateBatch against a synthetic index.
//   node bench/annotate/annotate.mjs [--chunks 100000] [--dimensions 384] [--outputs 200] [--seed 7]
// Bundles the TypeScript sources with the workspace's esbuild first (no package build needed).
// Prints one JSON object: splitting chars/s, annotation sentences/s and ms per sentence, peak RSS.
import { execFileSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

const { values: args } = parseArgs({
  options: {
    chunks: { type: 'string', default: '100000' },
    dimensions: { type: 'string', default: '384' },
    outputs: { type: 'string', default: '200' },
    seed: { type: 'string', default: '7' },
  },
});
const root = fileURLToPath(new URL('../../', import.meta.url));
const bundle = join(mkdtempSync(join(tmpdir(), 'annotate-bench-')), 'bundle.mjs');
execFileSync(join(root, 'node_modules/.bin/esbuild'), ['bench/annotate/entry.ts', '--bundle', '--platform=node', '--format=esm', `--outfile=${bundle}`, '--log-level=warning'], { cwd: root });
const { annotateBatch, splitSentences, corpusIndexFromData } = await import(bundle);

let state = Number(args.seed) >>> 0;
const random = () => ((state = (Math.imul(state, 1103515245) + 12345) >>> 0) / 2 ** 32);
const pick = (list) => list[Math.floor(random() * list.length)];

// Model-output-like text: sentences from a word list, with abbreviations, numbers, inline math, lists and code blocks.
const WORDS = 'the model gradient loss data training corpus token layer attention value function equation result proof step first next because therefore shows gives we it is a of to in for with on by'.split(' ');
function sentence() {
  const words = Array.from({ length: 6 + Math.floor(random() * 18) }, () => pick(WORDS));
  if (random() < 0.15) words.splice(3, 0, `Eq. ${1 + Math.floor(random() * 9)}`);
  if (random() < 0.1) words.splice(2, 0, '$x_i = 3.5$');
  if (random() < 0.1) words.splice(1, 0, 'e.g.');
  const text = words.join(' ');
  return text[0].toUpperCase() + text.slice(1) + pick(['.', '.', '.', '?', '!']);
}
function output() {
  const parts = [];
  const paragraphs = 1 + Math.floor(random() * 3);
  for (let p = 0; p < paragraphs; p++) {
    parts.push(Array.from({ length: 1 + Math.floor(random() * 4) }, sentence).join(' '));
    if (random() < 0.2) parts.push('```python\nfor i in range(3):\n    print(i)\n```');
    if (random() < 0.2) parts.push(`- ${sentence()}\n- ${sentence()}`);
  }
  return parts.join('\n\n');
}

const outputs = Array.from({ length: Number(args.outputs) }, output);
const corpusText = Array.from({ length: 2000 }, output).join('\n\n');

// Splitting: warm up once, then time over a large text and over the outputs one by one.
splitSentences(corpusText.slice(0, 5000));
let start = performance.now();
const bigSentences = splitSentences(corpusText).length;
const splitBigSeconds = (performance.now() - start) / 1000;
start = performance.now();
let outputSentences = 0;
for (const text of outputs) outputSentences += splitSentences(text).length;
const splitSmallSeconds = (performance.now() - start) / 1000;
const outputChars = outputs.reduce((sum, text) => sum + text.length, 0);

// Synthetic index: random unit vectors, 2-level tree of 20 × 10 leaf clusters, 5% noise.
const count = Number(args.chunks);
const dimension = Number(args.dimensions);
const gaussian = () => Math.sqrt(-2 * Math.log(random() + 1e-12)) * Math.cos(2 * Math.PI * random());
const unit = () => {
  const vector = new Float32Array(dimension);
  let norm = 0;
  for (let d = 0; d < dimension; d++) norm += (vector[d] = gaussian()) ** 2;
  norm = Math.sqrt(norm);
  for (let d = 0; d < dimension; d++) vector[d] /= norm;
  return vector;
};
const embeddings = new Float32Array(count * dimension);
for (let row = 0; row < count; row++) embeddings.set(unit(), row * dimension);
const leaf = (id, name) => ({ cluster_id: id, name, depth: id.split('.').length - 1, size: 0, silhouette: null, split_silhouette: null, noise_count: 0, samples: [], centroid_row: 0, children: [] });
const tree = leaf('0', 'root');
for (let a = 0; a < 20; a++) {
  const parent = leaf(`0.${a}`, `Topic ${a}`);
  for (let b = 0; b < 10; b++) parent.children.push(leaf(`0.${a}.${b}`, `Topic ${a}.${b}`));
  tree.children.push(parent);
}
const clusters = [];
const noise = [];
for (let row = 0; row < count; row++) {
  const a = Math.floor(random() * 20);
  if (random() < 0.05) {
    clusters.push(`0.${a}`);
    noise.push(row);
  } else clusters.push(`0.${a}.${Math.floor(random() * 10)}`);
}
const embedder = {
  specificationVersion: 'embedder-v1', provider: 'bench', modelId: 'random', dimensions: dimension, maxTokens: 512, maxEmbeddingsPerCall: 64,
  async doEmbed({ values }) { return { embeddings: values.map(unit) }; },
};
const manifest = { embedder: { id: 'bench:random', provider: 'bench', model_id: 'random', dimensions: dimension, settings: {}, state_files: [] } };
const index = corpusIndexFromData(
  { chunks: clusters.map((_, row) => `chunk ${row}`), metadata: clusters.map(() => ({ corpus_stage: 'pretrain' })), embeddings, dimension, tree, centroids: new Float32Array(0), assignment: { clusters, noise }, stats: {}, config: {}, embedder: { provider: 'bench', modelId: 'random', dimensions: dimension }, documents: count, sources: 1 },
  { directory: '/bench', manifest },
);

const timeAnnotate = async (k) => {
  const begin = performance.now();
  const results = await annotateBatch(index, embedder, outputs, { k });
  const seconds = (performance.now() - begin) / 1000;
  const sentences = results.reduce((sum, result) => sum + new Set(result.annotations.map((a) => a.sentenceIndex)).size, 0);
  return { k, sentences, seconds: round(seconds), sentencesPerSecond: round(sentences / seconds), msPerSentence: round((seconds * 1000) / sentences) };
};
const round = (value) => Math.round(value * 1000) / 1000;
await timeAnnotate(3); // warm-up (JIT)
const annotate = [await timeAnnotate(3), await timeAnnotate(1), await timeAnnotate(10)];

console.log(JSON.stringify({
  node: process.version,
  split: {
    largeText: { chars: corpusText.length, sentences: bigSentences, seconds: round(splitBigSeconds), charsPerSecond: Math.round(corpusText.length / splitBigSeconds) },
    outputs: { count: outputs.length, chars: outputChars, sentences: outputSentences, seconds: round(splitSmallSeconds), charsPerSecond: Math.round(outputChars / splitSmallSeconds) },
  },
  index: { chunks: count, dimension, leafClusters: 200, noiseShare: round(noise.length / count) },
  annotate,
  peakRssMiB: Math.round(process.resourceUsage().maxRSS / 1024),
}, null, 2));
