// Seed-to-seed agreement of the cluster tree, level by level: builds the tree for each seed on the same
// vectors and reports, per level, the cluster count, NMI against the labels and the pairwise ARI between
// seeds (the deepest assignment = "leaf"). For trying tree settings quickly; tree-quality.mjs is the benchmark.
//   node bench/cluster/tree-stability.mjs [n=6000] [dims=128] [--seeds 42,43,44] [--settings '{"consensusRuns":3}'] [--umap '{"initIterations":2}'] [--corpus file.jsonl]
import { loadavg } from 'node:os';
import { importPipelineSources } from '../pipeline/sources.mjs';
import { agreement, presetClusterer, readLabelledCorpus } from './labelled-corpus.mjs';

const args = process.argv.slice(2);
const flag = (name, fallback) => (args.includes(`--${name}`) ? args[args.indexOf(`--${name}`) + 1] : fallback);
const positional = args.filter((a, i) => !a.startsWith('--') && !(i > 0 && args[i - 1].startsWith('--')));
const n = Number(positional[0] ?? 6000);
const dims = Number(positional[1] ?? 128);
const seeds = flag('seeds', '42,43,44').split(',').map(Number);
const settings = { tree: 'layers', ...JSON.parse(flag('settings', '{}')) };
const sources = await importPipelineSources();
const { texts, labelNames: labels } = readLabelledCorpus(sources, flag('corpus', 'wordnet'), n);
const embedder = sources.createLsaEmbedder({ dimensions: dims, onWarning: () => undefined });
await embedder.doFit({ values: texts, seed: 42 });
const data = await sources.embedChunks(embedder, texts);

// the same clusterer as the default configuration's layered tree (and tree-quality.mjs's layers variants)
const clusterer = presetClusterer(sources, settings.tree, flag('umap', undefined));
const trees = [];
for (const seed of seeds) {
  const start = performance.now();
  const result = await sources.buildClusterTree(data, dims, clusterer, { seed, settings });
  const leaf = result.assignment.clusters;
  const depth = Math.max(...leaf.map((id) => id.split('.').length - 1));
  // level d + 1 of every chunk, then the leaf (its deepest node) last
  const levels = [...Array.from({ length: depth }, (_, d) => leaf.map((id) => id.split('.').slice(0, d + 2).join('.'))), leaf];
  trees.push({ seed, levels, seconds: (performance.now() - start) / 1000 });
  const shares = [];
  sources.walkBreadthFirst(result.tree, (node) => node.children.length > 0 && shares.push(node.children.reduce((m, c) => Math.max(m, c.size), 0) / node.size));
  const described = levels.map((level, d) => `${d === depth ? 'leaf' : `level ${d + 1}`} ${new Set(level).size} clusters NMI ${agreement(labels, level).nmi.toFixed(3)}`);
  console.error(`seed ${seed}: ${trees.at(-1).seconds.toFixed(1)} s (load ${loadavg()[0].toFixed(1)}); ${described.join(' | ')}; largest child ${Math.max(...shares).toFixed(2)}`);
}
// levels all trees have, then the leaf
const depth = Math.min(...trees.map((t) => t.levels.length - 1));
const pairwise = (pick) => {
  const pairs = [];
  for (let i = 0; i < trees.length; i++) for (let j = i + 1; j < trees.length; j++) pairs.push(agreement(pick(trees[i]), pick(trees[j])).ari);
  return pairs;
};
for (let d = 0; d < depth; d++) console.error(`level ${d + 1}: seed-to-seed ARI ${pairwise((t) => t.levels[d]).join(', ')}`);
const leafAri = pairwise((t) => t.levels.at(-1));
console.error(`leaf: seed-to-seed ARI ${leafAri.join(', ')}`);
console.log(JSON.stringify({ n, dims, settings, seeds, leafAri, seconds: trees.map((t) => Number(t.seconds.toFixed(1))) }));
