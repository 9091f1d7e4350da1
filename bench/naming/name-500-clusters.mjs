// Wall time to name a 500-cluster tree (root → 20 → 24 each) through nameClusterTree and
// createOpenAINamer against a local OpenAI-compatible server with simulated latency, at several
// concurrencies; plus the keyword namer on the same tree (no server).
//   node bench/naming/name-500-clusters.mjs [--latency 300] [--concurrency 32,8,1] [--clusters 500]
// Concurrency 1 at 300 ms takes ≈ 150 s. Bundles the TypeScript sources with the workspace's esbuild.
import { execFileSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { createServer } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

const { values: args } = parseArgs({
  options: {
    latency: { type: 'string', default: '300' },
    concurrency: { type: 'string', default: '32,8,1' },
    clusters: { type: 'string', default: '500' },
  },
});
const root = fileURLToPath(new URL('../../', import.meta.url));
const bundle = join(mkdtempSync(join(tmpdir(), 'naming-bench-')), 'bundle.mjs');
execFileSync(
  join(root, 'node_modules/.bin/esbuild'),
  ['bench/naming/entry.ts', '--bundle', '--platform=node', '--format=esm', `--outfile=${bundle}`, '--log-level=error',
    `--alias:@corpus-proximity/core/internal=${join(root, 'packages/core/src/internal.ts')}`, `--alias:@corpus-proximity/core=${join(root, 'packages/core/src/index.ts')}`],
  { cwd: root },
);
const { createKeywordNamer, createOpenAINamer, nameClusterTree } = await import(bundle);

const latency = Number(args.latency);
let inFlight = 0;
let maxInFlight = 0;
let served = 0;
const server = createServer((request, response) => {
  maxInFlight = Math.max(maxInFlight, ++inFlight);
  const body = [];
  request.on('data', (chunk) => body.push(chunk));
  request.on('end', () => {
    setTimeout(() => {
      served++;
      const content = JSON.stringify({ name: `Cluster Name ${served}`, description: 'A simulated answer.' });
      response.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({
        id: `c${served}`, object: 'chat.completion', created: 0, model: 'bench',
        choices: [{ index: 0, finish_reason: 'stop', message: { role: 'assistant', content } }],
        usage: { prompt_tokens: Math.ceil(Buffer.concat(body).length / 4), completion_tokens: 15, total_tokens: 0 },
      }));
      inFlight--;
    }, latency);
  });
});
await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
const baseURL = `http://127.0.0.1:${server.address().port}/v1`;

/** Root → 20 children → the rest spread over them; 6 chunks per leaf, 32-d seeded vectors. */
function makeTree(clusters) {
  const dimension = 32;
  let state = 7;
  const random = () => ((state = (Math.imul(state, 1103515245) + 12345) >>> 0) / 2 ** 32);
  const words = 'galaxy telescope bread oven engine piston bird feather river delta poem rhyme court judge cell protein market price'.split(' ');
  const node = (cluster_id, depth, centroid_row) => ({ cluster_id, name: '', depth, size: 0, silhouette: null, split_silhouette: null, noise_count: 0, samples: [], centroid_row, children: [] });
  const tree = node('0', 0, 0);
  const top = Math.min(20, clusters);
  for (let i = 0; i < top; i++) tree.children.push(node(`0.${i}`, 1, 0));
  for (let j = 0; j < clusters - top; j++) {
    const parent = tree.children[j % top];
    parent.children.push(node(`${parent.cluster_id}.${parent.children.length}`, 2, 0));
  }
  const chunks = [];
  const vectors = [];
  const members = new Map();
  for (const parent of tree.children) {
    for (const leaf of parent.children.length > 0 ? parent.children : [parent]) {
      for (let n = 0; n < 6; n++) {
        const text = Array.from({ length: 60 }, () => words[Math.floor(random() * words.length)]).join(' ');
        chunks.push(`${leaf.cluster_id}: ${text}`);
        const v = Array.from({ length: dimension }, () => random() - 0.5);
        const norm = Math.hypot(...v);
        vectors.push(...v.map((x) => x / norm));
        for (const id of new Set([parent.cluster_id, leaf.cluster_id])) members.set(id, [...(members.get(id) ?? []), chunks.length - 1]);
      }
    }
  }
  return { tree, chunks, embeddings: Float32Array.from(vectors), dimension, centroids: new Float32Array(0), members };
}

const clusters = Number(args.clusters);
const results = [];
for (const concurrency of args.concurrency.split(',').map(Number)) {
  const data = makeTree(clusters);
  maxInFlight = 0;
  const namer = createOpenAINamer({ baseURL, apiKey: 'sk-bench', model: 'bench', concurrency });
  const start = performance.now();
  const outcome = await nameClusterTree(data.tree, { ...data, namer, concurrency, seed: 1 });
  const seconds = (performance.now() - start) / 1000;
  results.push({ namer: 'openai', latencyMs: latency, concurrency, clusters: outcome.calls, failures: outcome.failures, seconds: Number(seconds.toFixed(2)), idealSeconds: Number(((Math.ceil(20 / concurrency) + Math.ceil((clusters - 20) / concurrency)) * latency / 1000).toFixed(2)), serverMaxInFlight: maxInFlight, usage: namer.usage() });
  console.log(JSON.stringify(results.at(-1)));
}
const keywordData = makeTree(clusters);
const start = performance.now();
const keywordOutcome = await nameClusterTree(keywordData.tree, { ...keywordData, namer: createKeywordNamer(), seed: 1 });
console.log(JSON.stringify({ namer: 'keywords', clusters: keywordOutcome.calls, seconds: Number(((performance.now() - start) / 1000).toFixed(2)), example: keywordData.tree.children[0].children[0].name }));
server.closeAllConnections();
server.close();
