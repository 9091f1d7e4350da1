// Times our hdbscan on n × d seeded blobs (KD-tree Borůvka path for d ≤ 16), optionally against R.
// Usage: node --max-old-space-size=4096 bench/cluster/hdbscan-scale.mjs [n=20000] [dims=10] [minPts=40] [r|nor]
// Build first: pnpm --filter @corpus-proximity/clusterers build
import { adjustedRandIndex, hdbscan } from '../../packages/clusterers/dist/index.js';
import { rHdbscanTimed } from './r-hdbscan.mjs';
import { blobs } from './synthetic.mjs';

const args = process.argv.slice(2);
const [n = 20000, dims = 10, minPts = 40] = args.slice(0, 3).map(Number);
const withR = args[3] === 'r';
const noiseFraction = Number(process.env.NOISE ?? 0.1);
const { data, truth } = blobs({ n, dims, clusters: 60, seed: 7, noiseFraction, spread: 1, box: 10 });
const cpu0 = process.cpuUsage();
const start = performance.now();
const { labels } = hdbscan({ data, rows: n, cols: dims }, { minClusterSize: minPts, minSamples: minPts });
const seconds = (performance.now() - start) / 1000;
const cpu = process.cpuUsage(cpu0);
const count = (l) => new Set(l).size - (Array.from(l).includes(-1) ? 1 : 0);
const noise = Array.from(labels).filter((l) => l < 0).length;
console.log(`ours ${n}×${dims} minPts ${minPts}: ${seconds.toFixed(2)} s wall, ${((cpu.user + cpu.system) / 1e6).toFixed(2)} s cpu, peak RSS ${(process.resourceUsage().maxRSS / 1024).toFixed(0)} MB; ${count(labels)} clusters, ${noise} noise; ARI vs generator ${adjustedRandIndex(labels, truth).toFixed(3)}`);
if (withR) {
  const rows = Array.from({ length: n }, (_, i) => Array.from(data.subarray(i * dims, (i + 1) * dims)));
  const r = rHdbscanTimed(rows, minPts);
  console.log(`R dbscan::hdbscan: ${r.seconds.toFixed(2)} s wall, ${r.cpuSeconds.toFixed(2)} s cpu (hdbscan() call only), peak RSS ${r.maxRssMb} MB; ${count(r.labels)} clusters, ${r.labels.filter((l) => l < 0).length} noise; ARI ours vs R ${adjustedRandIndex(labels, r.labels).toFixed(4)}; time ratio ours/R wall ${(seconds / r.seconds).toFixed(3)}, cpu ${((cpu.user + cpu.system) / 1e6 / r.cpuSeconds).toFixed(3)}`);
}
