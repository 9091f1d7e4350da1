// Times one level of createUmapHdbscanClusterer on n × d synthetic unit vectors.
// Build first: pnpm --filter @corpus-proximity/clusterers build
// Usage: node bench/cluster/clusterer-speed.mjs [n=5000] [dims=256] [minClusterSize=250] [minSamples=10]
import { adjustedRandIndex, bruteForceKnn, createUmapHdbscanClusterer, hdbscan, nnDescent, umap } from '../../packages/clusterers/dist/index.js';
import { blobs } from './synthetic.mjs';

const [n = 5000, dims = 256, minClusterSize = 250, minSamples = 10] = process.argv.slice(2).map(Number);
const { data, cols, truth } = blobs({ n, dims, clusters: 20, seed: 3, normalize: true, spread: 3 });
const vectors = Array.from({ length: n }, (_, i) => data.slice(i * cols, (i + 1) * cols));
const time = (label, fn) => {
  const cpu = process.cpuUsage();
  const start = performance.now();
  const result = fn();
  const used = process.cpuUsage(cpu);
  console.log(`${label}: ${((performance.now() - start) / 1000).toFixed(2)} s wall, ${((used.user + used.system) / 1e6).toFixed(2)} s cpu`);
  return result;
};
time(`exact kNN k=15 cosine ${n}×${dims}`, () => bruteForceKnn({ data, rows: n, cols }, 15, 'cosine'));
time(`NN-descent k=15 cosine ${n}×${dims}`, () => nnDescent({ data, rows: n, cols }, 15, { metric: 'cosine', seed: 1 }));
const reduced = time(`umap → 50-d (200 epochs)`, () => umap(vectors, { nComponents: 50, minDist: 0, metric: "cosine", seed: 1, nEpochs: 200 }));
const labels = time(`hdbscan on 50-d (mcs ${minClusterSize}, ms ${minSamples})`, () => hdbscan(reduced, { minClusterSize, minSamples }).labels);
console.log(`clusters ${new Set(labels).size - (labels.includes(-1) ? 1 : 0)}, noise ${labels.filter((l) => l < 0).length}, ARI vs truth ${adjustedRandIndex(labels, truth).toFixed(3)}`);
const cpu = process.cpuUsage();
const start = performance.now();
const result = await createUmapHdbscanClusterer().doCluster({ vectors, depth: 0, seed: 1, minClusterSize, minSamples });
const used = process.cpuUsage(cpu);
console.log(`clusterer.doCluster total: ${((performance.now() - start) / 1000).toFixed(2)} s wall, ${((used.user + used.system) / 1e6).toFixed(2)} s cpu; peak RSS ${(process.resourceUsage().maxRSS / 1024).toFixed(0)} MB; same labels: ${result.labels.every((l, i) => l === labels[i])}`);
