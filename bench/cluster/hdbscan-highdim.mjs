// Exact Prim vs approximate kNN-graph MST for hdbscan in high dimensions: time and ARI between them.
// Usage: node bench/cluster/hdbscan-highdim.mjs [n=20000] [dims=50] [minClusterSize=100] [minSamples=10]
import { adjustedRandIndex, hdbscan } from '../../packages/clusterers/dist/index.js';
import { blobs } from './synthetic.mjs';

const [n = 20000, dims = 50, minClusterSize = 100, minSamples = 10] = process.argv.slice(2).map(Number);
const { data, truth } = blobs({ n, dims, clusters: 40, seed: 17, noiseFraction: 0.05, spread: 1.5, box: 10 });
const run = (algorithm) => {
  const cpu = process.cpuUsage();
  const start = performance.now();
  const { labels } = hdbscan({ data, rows: n, cols: dims }, { minClusterSize, minSamples, algorithm });
  const used = process.cpuUsage(cpu);
  const clusters = new Set(labels).size - (labels.includes(-1) ? 1 : 0);
  console.log(`${algorithm} ${n}×${dims}: ${((performance.now() - start) / 1000).toFixed(1)} s wall / ${((used.user + used.system) / 1e6).toFixed(1)} s cpu; ${clusters} clusters, ${labels.filter((l) => l < 0).length} noise; ARI vs generator ${adjustedRandIndex(labels, truth).toFixed(3)}`);
  return labels;
};
const approximate = run('knn-graph');
const exact = run('prim');
console.log(`ARI knn-graph vs prim: ${adjustedRandIndex(approximate, exact).toFixed(4)}; peak RSS ${(process.resourceUsage().maxRSS / 1024).toFixed(0)} MB`);
