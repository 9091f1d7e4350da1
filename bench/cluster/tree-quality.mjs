// Issue 12's benchmark: the cluster tree (layered default vs the seed-004 recursive preset) on a labelled
// corpus, level by level, beside flat references on the same vectors in the same run.
//   node bench/cluster/tree-quality.mjs [n=6000] [dims=128] [--corpus wordnet|<file.jsonl with text,label>]
//        [--variants layers,layersx3,recursive@42|none] [--seeds 42,43,44] [--refs] [--r-max 20000] [--refs-dir DIR]
//        [--umap '{"knnOversampling":1}'] (over the preset's UMAP settings)
// Variants: layers (one base clustering), layersxN (N consensus runs; layersx3 = the default), recursive
// (the seed-004 preset); @s1+s2 gives a variant its own seeds.
// Per variant and seed: per level NMI / ARI vs the labels, clusters, largest child share, outlier share,
// silhouette; seed-to-seed leaf ARI; wall time, peak RSS. --refs: umap-learn → R dbscan::hdbscan
// (minPts 10/20/40; our HDBSCAN on umap-learn's output above --r-max rows, R needs ≈ 20 GB at 50K) and
// sklearn k-means at each level's cluster count (tree_quality_reference.py, /usr/bin/python3). --refs-dir keeps
// the reference's folder (vectors, labels, umap-learn's output) and reuses umap-learn's output from an
// earlier run on the same vectors there; --variants none runs the references only.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { importPipelineSources } from '../pipeline/sources.mjs';
import { rHdbscanTimed } from './r-hdbscan.mjs';
import { agreement, presetClusterer, readLabelledCorpus } from './labelled-corpus.mjs';

const args = process.argv.slice(2);
const flag = (name, fallback) => {
  const at = args.indexOf(`--${name}`);
  return at >= 0 ? args[at + 1] : fallback;
};
const positional = args.filter((a, i) => !a.startsWith('--') && !(i > 0 && args[i - 1].startsWith('--') && args[i - 1] !== '--refs'));
const n = Number(positional[0] ?? 6000);
const dims = Number(positional[1] ?? 128);
const corpus = flag('corpus', 'wordnet');
const variants = flag('variants', 'layers,recursive').split(',').filter((v) => v !== 'none');
const seeds = flag('seeds', '42,43,44').split(',').map(Number);
const rMax = Number(flag('r-max', 20000));
const here = fileURLToPath(new URL('./', import.meta.url));
const sources = await importPipelineSources();

const { texts, labelNames } = readLabelledCorpus(sources, corpus, n);
const labelIds = new Map();
const labels = labelNames.map((name) => labelIds.get(name) ?? (labelIds.set(name, labelIds.size), labelIds.size - 1));
const rows = texts.length;
const t0 = performance.now();
const embedder = sources.createLsaEmbedder({ dimensions: dims, onWarning: () => undefined });
await embedder.doFit({ values: texts, seed: 42 });
const data = await sources.embedChunks(embedder, texts);
const embedSeconds = (performance.now() - t0) / 1000;

function clustererFor(variant) {
  // the CLI's presets: layers (10-d UMAP from a converged PCA, near-exact neighbours, 'leaf'); recursive = configs/seed-004.json
  return presetClusterer(sources, variant.startsWith('layers') ? 'layers' : 'recursive', flag('umap', undefined));
}
function settingsFor(variant) {
  if (variant === 'recursive') return { tree: 'recursive' };
  const [, runs] = variant.match(/^layers(?:x(\d+))?$/) ?? [];
  return { tree: 'layers', consensusRuns: Number(runs ?? 1) };
}

const results = [];
const levelCounts = new Set();
for (const spec of variants) {
  // a variant may name its own seeds: recursive@42 or layersx3@42+43
  const [variant, ownSeeds] = spec.split('@');
  const perSeed = [];
  for (const seed of ownSeeds ? ownSeeds.split('+').map(Number) : seeds) {
    const load = loadavg()[0].toFixed(2);
    const start = performance.now();
    const result = await sources.buildClusterTree(data, dims, clustererFor(variant), { seed, settings: settingsFor(variant) });
    const seconds = (performance.now() - start) / 1000;
    const leaf = result.assignment.clusters;
    const depth = Math.max(...leaf.map((id) => id.split('.').length - 1));
    const levels = [];
    for (let d = 1; d <= depth; d++) {
      const at = leaf.map((id) => id.split('.').slice(0, d + 1).join('.'));
      const nodes = [];
      sources.walkBreadthFirst(result.tree, (node) => node.depth === d - 1 && node.children.length > 0 && nodes.push(node));
      const shares = nodes.map((node) => ({ share: node.children[0].size / node.size, silhouette: node.split_silhouette }));
      const clusters = new Set(at).size;
      levelCounts.add(clusters);
      const silhouettes = [];
      sources.walkBreadthFirst(result.tree, (node) => node.depth === d && node.silhouette !== null && silhouettes.push([node.silhouette, node.size]));
      const silhouette = silhouettes.reduce((s, [v, w]) => s + v * w, 0) / Math.max(1, silhouettes.reduce((s, [, w]) => s + w, 0));
      levels.push({ depth: d, clusters, ...agreement(labels, at), largestChildShare: Number(Math.max(...shares.map((s) => s.share)).toFixed(3)), over60: shares.filter((s) => s.share > 0.6).length, silhouette: Number(silhouette.toFixed(3)) });
    }
    const outliers = new Set(result.assignment.noise).size;
    // chunks whose deepest cluster is a leaf (not noise left at an inner node)
    const leafIds = new Set();
    sources.walkBreadthFirst(result.tree, (node) => node.children.length === 0 && leafIds.add(node.cluster_id));
    const inLeaf = leaf.filter((id) => leafIds.has(id)).length;
    perSeed.push({ seed, seconds: Number(seconds.toFixed(1)), load, leaf, levels, outlierShare: Number((outliers / rows).toFixed(3)), inLeafShare: Number((inLeaf / rows).toFixed(3)) });
    console.error(`${variant} seed ${seed}: ${seconds.toFixed(1)} s (load ${load}) ${JSON.stringify(levels)} outliers ${(outliers / rows).toFixed(3)} in-leaf ${(inLeaf / rows).toFixed(3)}`);
  }
  const pairs = [];
  for (let i = 0; i < perSeed.length; i++) for (let j = i + 1; j < perSeed.length; j++) pairs.push(agreement(perSeed[i].leaf, perSeed[j].leaf).ari);
  results.push({ variant, seedToSeedLeafAri: pairs, runs: perSeed.map(({ leaf: _leaf, ...rest }) => rest) });
}
const out = { corpus, rows, dims, labels: labelIds.size, embedSeconds: Number(embedSeconds.toFixed(1)), peakRssMb: Math.round(process.resourceUsage().maxRSS / 1024), results };

if (args.includes('--refs')) {
  const keep = flag('refs-dir', undefined);
  const folder = keep ?? mkdtempSync(join(tmpdir(), 'tree-quality-'));
  mkdirSync(folder, { recursive: true });
  const vectorsBuffer = Buffer.from(data.buffer, data.byteOffset, data.byteLength);
  // umap-learn's output is reused only when it was made from these very vectors
  const same = existsSync(join(folder, 'x.f32')) && readFileSync(join(folder, 'x.f32')).equals(vectorsBuffer);
  const reuse = same && existsSync(join(folder, 'umap.json')) && existsSync(join(folder, 'umap.f32')) && statSync(join(folder, 'umap.f32')).size === rows * 10 * 4;
  writeFileSync(join(folder, 'x.f32'), vectorsBuffer);
  writeFileSync(join(folder, 'labels.txt'), `${labels.join('\n')}\n`);
  const load = loadavg()[0].toFixed(2);
  const py = JSON.parse(execFileSync('/usr/bin/python3', [join(here, 'tree_quality_reference.py'), folder, String(rows), String(dims), reuse ? '0' : '10', [...levelCounts].sort((a, b) => a - b).join(',')], { encoding: 'utf8', maxBuffer: 1 << 26 }));
  if (reuse) py.umap_learn_seconds = JSON.parse(readFileSync(join(folder, 'umap.json'), 'utf8')).seconds;
  else writeFileSync(join(folder, 'umap.json'), JSON.stringify({ seconds: py.umap_learn_seconds, load }));
  const y = new Float32Array(readFileSync(join(folder, 'umap.f32')).buffer.slice(0));
  const points = Array.from({ length: rows }, (_, i) => Array.from(y.subarray(i * 10, (i + 1) * 10)));
  py.hdbscan = [];
  for (const minPts of [10, 20, 40]) {
    let flat;
    let engine;
    if (rows <= rMax) {
      const r = rHdbscanTimed(points, minPts);
      flat = r.labels;
      engine = `R dbscan::hdbscan (${r.seconds.toFixed(1)} s, ${r.maxRssMb} MB)`;
    } else {
      flat = Array.from(sources.hdbscan(points, { minClusterSize: minPts, minSamples: minPts, fragments: 'shrink' }).labels);
      engine = "ours, fragments 'shrink' (R's rule; R needs ≈ 20 GB here)";
    }
    const clustered = flat.map((l, i) => i).filter((i) => flat[i] >= 0);
    py.hdbscan.push({ minPts, engine, clusters: new Set(flat.filter((l) => l >= 0)).size, noiseShare: Number((1 - clustered.length / rows).toFixed(3)), all: agreement(labels, flat), clusteredOnly: agreement(clustered.map((i) => labels[i]), clustered.map((i) => flat[i])) });
  }
  out.references = { load, ...py };
}
console.log(JSON.stringify(out, null, 1));
