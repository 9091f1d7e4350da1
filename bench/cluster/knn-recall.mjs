// Recall and time of NN-descent against exact brute-force kNN (the graph UMAP starts from).
// Usage: node bench/cluster/knn-recall.mjs [n=20000] [dims=256] [k=15] [metric=cosine]
import { bruteForceKnn, nnDescent } from '../../packages/clusterers/dist/index.js';
import { blobs } from './synthetic.mjs';

const [nArg = '20000', dimsArg = '256', kArg = '15', metric = 'cosine'] = process.argv.slice(2);
const [n, dims, k] = [nArg, dimsArg, kArg].map(Number);
const { data, cols } = blobs({ n, dims, clusters: 50, seed: 5, normalize: metric === 'cosine', spread: 3 });
const matrix = { data, rows: n, cols };
const timed = (fn) => {
  const cpu = process.cpuUsage();
  const start = performance.now();
  const value = fn();
  const used = process.cpuUsage(cpu);
  return { value, wall: (performance.now() - start) / 1000, cpu: (used.user + used.system) / 1e6 };
};
const exact = timed(() => bruteForceKnn(matrix, k, metric));
const approximate = timed(() => nnDescent(matrix, k, { metric, seed: 1 }));
let hits = 0;
for (let i = 0; i < n; i++) {
  const found = new Set(approximate.value.indices.subarray(i * k + 1, (i + 1) * k));
  for (let t = 1; t < k; t++) if (found.has(exact.value.indices[i * k + t])) hits++;
}
console.log(`${n}×${dims} ${metric} k=${k}: exact ${exact.wall.toFixed(1)} s wall / ${exact.cpu.toFixed(1)} s cpu; nn-descent ${approximate.wall.toFixed(1)} s wall / ${approximate.cpu.toFixed(1)} s cpu; recall ${(hits / (n * (k - 1))).toFixed(4)}`);
