// Our umap vs umap-learn on WordNet glosses embedded by LSA (see wordnet-vectors.mjs), cosine metric:
// time (wall and CPU), peak RSS, trustworthiness (k = 10 on a 5,000-point sample, sklearn). Bundles the
// clusterers sources with esbuild (no build). umap-learn runs single-threaded (random_state set).
//   node bench/cluster/umap-wordnet.mjs [n=10000] [dims=256] [nComponents=10] [--no-reference]
// SRC=<folder holding packages/clusterers/src> runs another copy of the clusterers (before/after).
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { wordnetVectors } from './wordnet-vectors.mjs';

const positional = process.argv.slice(2).filter((arg) => !arg.startsWith('--'));
const reference = !process.argv.includes('--no-reference');
const [n, dims, nComponents] = [positional[0] ?? '10000', positional[1] ?? '256', positional[2] ?? '10'].map(Number);
const root = fileURLToPath(new URL('../../', import.meta.url));
const bundle = join(mkdtempSync(join(tmpdir(), 'umap-wordnet-')), 'bundle.mjs');
const source = join(process.env.SRC ?? root, 'packages/clusterers/src/index.ts');
execFileSync(join(root, 'node_modules/.bin/esbuild'), [source, `--alias:@corpus-proximity/core=${join(root, 'packages/core/src/index.ts')}`, '--bundle', '--platform=node', '--format=esm', `--outfile=${bundle}`, '--log-level=warning'], { cwd: root });
const { umap } = await import(bundle);
const { data, path } = await wordnetVectors(n, dims);
const rows = data.length / dims;
const cpu = process.cpuUsage();
const start = performance.now();
const embedding = umap({ data, rows, cols: dims }, { nComponents, nNeighbors: 15, minDist: 0.1, metric: 'cosine', seed: 42 });
const wall = (performance.now() - start) / 1000;
const used = process.cpuUsage(cpu);
const rss = process.resourceUsage().maxRSS / 1024;
const folder = mkdtempSync(join(tmpdir(), 'umap-wordnet-'));
writeFileSync(join(folder, 'x.f32'), Buffer.from(data.buffer, data.byteOffset, data.byteLength));
const flat = new Float32Array(rows * nComponents);
embedding.forEach((row, i) => flat.set(row, i * nComponents));
writeFileSync(join(folder, 'ours.f32'), Buffer.from(flat.buffer));
const ours = `ours ${wall.toFixed(1)} s wall / ${((used.user + used.system) / 1e6).toFixed(1)} s cpu, peak RSS ${rss.toFixed(0)} MB`;
if (!reference) {
  console.log(`${rows}×${dims} → ${nComponents}-d cosine (${path}): ${ours}`);
  process.exit(0);
}
const script = fileURLToPath(new URL('./umap_learn_reference.py', import.meta.url));
const run = spawnSync('/usr/bin/python3', [script, folder, String(rows), String(dims), String(nComponents), '15', '0.1', 'cosine'], { encoding: 'utf8' });
rmSync(folder, { recursive: true, force: true });
if (run.status !== 0) throw new Error(run.stderr);
const r = JSON.parse(run.stdout.trim().split('\n').at(-1));
console.log(`${rows}×${dims} → ${nComponents}-d cosine: ${ours}, trustworthiness ${r.trustworthiness_ours.toFixed(4)} | umap-learn ${r.umap_learn_seconds.toFixed(1)} s wall (after JIT warm-up), peak RSS ${r.umap_learn_peak_rss_mb.toFixed(0)} MB, trustworthiness ${r.trustworthiness_umap_learn.toFixed(4)}`);
