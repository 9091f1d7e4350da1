// CPU-time (not wall-clock, the machine is shared) of the kNN and UMAP stages.
// Usage: node bench/cluster/profile-umap.mjs [n=2000] [dims=256] [nComponents=50] [epochs]
import { bruteForceKnn, umap } from '../../packages/clusterers/dist/index.js';
import { blobs } from './synthetic.mjs';

const [n = 2000, dims = 256, nComponents = 50, nEpochs] = process.argv.slice(2).map(Number);
const { data, cols } = blobs({ n, dims, clusters: 20, seed: 3, normalize: true, spread: 3 });
const cpu = (label, fn) => {
  const start = process.cpuUsage();
  const wall = performance.now();
  const result = fn();
  const used = process.cpuUsage(start);
  console.log(`${label}: cpu ${((used.user + used.system) / 1e6).toFixed(2)} s, wall ${((performance.now() - wall) / 1000).toFixed(2)} s`);
  return result;
};
const knn = cpu(`kNN ${n}×${dims} cosine k=15`, () => bruteForceKnn({ data, rows: n, cols }, 15, 'cosine'));
cpu(`umap → ${nComponents}-d epochs ${nEpochs ?? 'default'} (given kNN)`, () => umap({ data, rows: n, cols }, { nComponents, minDist: 0, metric: 'cosine', knn, nEpochs }));
