// Seed-to-seed agreement of the cluster tree, level by level: builds the tree for each seed on the same
// vectors and reports, per level, the cluster count, NMI against the labels and the pairwise ARI between
// seeds (the deepest assignment = "leaf"). For trying tree settings quickly; tree-quality.mjs is the benchmark.
//   node bench/cluster/tree-stability.mjs [n=6000] [dims=128] [--seeds 42,43,44] [--settings '{"consensusRuns":3}'] [--corpus file.jsonl]
import { loadavg } from 'node:os';
import { readFileSync } from 'node:fs';
import { readWordNetGlosses } from '../../examples/wordnet/wordnet-corpus.mjs';
import { importPipelineSources } from '../pipeline/sources.mjs';

const args = process.argv.slice(2);
const flag = (name, fallback) => (args.includes(`--${name}`) ? args[args.indexOf(`--${name}`) + 1] : fallback);
const positional = args.filter((a, i) => !a.startsWith('--') && !(i > 0 && args[i - 1].startsWith('--')));
const n = Number(positional[0] ?? 6000);
const dims = Number(positional[1] ?? 128);
const seeds = flag('seeds', '42,43,44').split(',').map(Number);
const settings = { tree: 'layers', ...JSON.parse(flag('settings', '{}')) };
const corpus = flag('corpus', 'wordnet');
const sources = await importPipelineSources();
const records =
  corpus === 'wordnet'
    ? sources.shuffleInPlace(readWordNetGlosses(), sources.createRandom(42)).slice(0, n).map((r) => ({ text: r.gloss, label: r.lexname }))
    : readFileSync(corpus, 'utf8').trim().split('\n').map((line) => JSON.parse(line)).slice(0, n);
const labels = records.map((r) => String(r.label));
const embedder = sources.createLsaEmbedder({ dimensions: dims, onWarning: () => undefined });
await embedder.doFit({ values: records.map((r) => r.text), seed: 42 });
const data = await sources.embedChunks(embedder, records.map((r) => r.text));

function counts(a, b) {
  const na = new Map(), nb = new Map(), nab = new Map();
  for (let i = 0; i < a.length; i++) {
    na.set(a[i], (na.get(a[i]) ?? 0) + 1);
    nb.set(b[i], (nb.get(b[i]) ?? 0) + 1);
    const k = `${a[i]}\u0000${b[i]}`;
    nab.set(k, (nab.get(k) ?? 0) + 1);
  }
  return { na, nb, nab, N: a.length };
}
function nmi(a, b) {
  const { na, nb, nab, N } = counts(a, b);
  const h = (m) => -[...m.values()].reduce((s, c) => s + (c / N) * Math.log(c / N), 0);
  let mi = 0;
  for (const [k, c] of nab) {
    const [x, y] = k.split('\u0000');
    mi += (c / N) * Math.log((c * N) / (na.get(x) * nb.get(y)));
  }
  return (2 * mi) / (h(na) + h(nb) || 1);
}
function ari(a, b) {
  const { na, nb, nab, N } = counts(a, b);
  const c2 = (x) => (x * (x - 1)) / 2;
  const sum = (m) => [...m.values()].reduce((s, c) => s + c2(c), 0);
  const expected = (sum(na) * sum(nb)) / c2(N);
  const max = (sum(na) + sum(nb)) / 2;
  return max === expected ? 1 : (sum(nab) - expected) / (max - expected);
}

const clusterer = sources.createUmapHdbscanClusterer({ nComponents: 10, clusterSelectionMethod: 'leaf', initIterations: Number(flag('init-iterations', 30)) });
const trees = [];
for (const seed of seeds) {
  const start = performance.now();
  const result = await sources.buildClusterTree(data, dims, clusterer, { seed, settings });
  const leaf = result.assignment.clusters;
  const depth = Math.max(...leaf.map((id) => id.split('.').length - 1));
  const levels = Array.from({ length: depth }, (_, d) => leaf.map((id) => id.split('.').slice(0, d + 2).join('.')));
  trees.push({ seed, leaf, levels, seconds: (performance.now() - start) / 1000 });
  const shares = [];
  sources.walkBreadthFirst(result.tree, (node) => node.children.length > 0 && shares.push(node.children.reduce((m, c) => Math.max(m, c.size), 0) / node.size));
  console.error(`seed ${seed}: ${trees.at(-1).seconds.toFixed(1)} s (load ${loadavg()[0].toFixed(1)}); levels ${levels.map((l) => `${new Set(l).size} clusters NMI ${nmi(labels, l).toFixed(3)}`).join(' | ')}; leaf NMI ${nmi(labels, leaf).toFixed(3)}; largest child ${Math.max(...shares).toFixed(2)}`);
}
const depth = Math.min(...trees.map((t) => t.levels.length));
for (let d = 0; d < depth; d++) {
  const pairs = [];
  for (let i = 0; i < trees.length; i++) for (let j = i + 1; j < trees.length; j++) pairs.push(ari(trees[i].levels[d], trees[j].levels[d]).toFixed(3));
  console.error(`level ${d + 1}: seed-to-seed ARI ${pairs.join(', ')}`);
}
const leafPairs = [];
for (let i = 0; i < trees.length; i++) for (let j = i + 1; j < trees.length; j++) leafPairs.push(Number(ari(trees[i].leaf, trees[j].leaf).toFixed(3)));
console.error(`leaf: seed-to-seed ARI ${leafPairs.join(', ')}`);
console.log(JSON.stringify({ n, dims, settings, seeds, leafAri: leafPairs, seconds: trees.map((t) => Number(t.seconds.toFixed(1))) }));
