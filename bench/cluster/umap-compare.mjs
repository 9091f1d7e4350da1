// Our umap against umap-learn (Debian /usr/bin/python3 with umap-learn): time, peak RSS, trustworthiness (k=10).
// Usage: node bench/cluster/umap-compare.mjs [n=10000] [dims=64] [nComponents=2] [metric=euclidean]
// Build first: pnpm --filter @corpus-proximity/clusterers build
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { umap } from '../../packages/clusterers/dist/index.js';
import { blobs } from './synthetic.mjs';

const [nArg = '10000', dimsArg = '64', componentsArg = '2', metric = 'euclidean'] = process.argv.slice(2);
const [n, dims, nComponents] = [nArg, dimsArg, componentsArg].map(Number);
const { data } = blobs({ n, dims, clusters: 30, seed: 9, noiseFraction: 0.02, spread: 3, normalize: metric === 'cosine' });
const cpu = process.cpuUsage();
const start = performance.now();
const embedding = umap({ data, rows: n, cols: dims }, { nComponents, nNeighbors: 15, minDist: 0.1, metric, seed: 42 });
const wall = (performance.now() - start) / 1000;
const used = process.cpuUsage(cpu);
const rss = process.resourceUsage().maxRSS / 1024;
const folder = mkdtempSync(join(tmpdir(), 'umap-compare-'));
writeFileSync(join(folder, 'x.f32'), Buffer.from(data.buffer, data.byteOffset, data.byteLength));
const flat = new Float32Array(n * nComponents);
embedding.forEach((row, i) => flat.set(row, i * nComponents));
writeFileSync(join(folder, 'ours.f32'), Buffer.from(flat.buffer));
const script = fileURLToPath(new URL('./umap_learn_reference.py', import.meta.url));
const run = spawnSync('/usr/bin/python3', [script, folder, String(n), String(dims), String(nComponents), '15', '0.1', metric], { encoding: 'utf8' });
rmSync(folder, { recursive: true, force: true });
if (run.status !== 0) throw new Error(run.stderr);
const reference = JSON.parse(run.stdout.trim().split('\n').at(-1));
console.log(`${n}×${dims} → ${nComponents}-d ${metric}: ours ${wall.toFixed(1)} s wall / ${((used.user + used.system) / 1e6).toFixed(1)} s cpu, peak RSS ${rss.toFixed(0)} MB, trustworthiness ${reference.trustworthiness_ours.toFixed(4)} | umap-learn ${reference.umap_learn_seconds.toFixed(1)} s wall (after JIT warm-up), peak RSS ${reference.umap_learn_peak_rss_mb.toFixed(0)} MB, trustworthiness ${reference.trustworthiness_umap_learn.toFixed(4)}`);
