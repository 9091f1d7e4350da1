// Our umap vs umap-learn on WordNet glosses embedded by LSA (see wordnet-vectors.mjs), cosine metric:
// time (wall and CPU), peak RSS, trustworthiness (k = 10 on a 5,000-point sample, sklearn). Bundles the
// clusterers sources with esbuild (no build). umap-learn runs single-threaded (random_state set).
//   node bench/cluster/umap-wordnet.mjs [n=10000] [dims=256] [nComponents=10] [--no-reference] [--hdbscan=40] [--r-max=20000]
// SRC=<folder holding packages/clusterers/src> runs another copy of the clusterers (before/after).
// --hdbscan=MINPTS then clusters our UMAP output with our hdbscan and with R's dbscan::hdbscan at the same
// minPts (both see the same points): time, peak RSS, ARI ours vs R (default fragments and 'shrink'). R builds a dense n × n distance
// matrix, so it is skipped above --r-max points (50K would need ≈ 20 GB).
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { rHdbscanTimed } from './r-hdbscan.mjs';
import { wordnetVectors } from './wordnet-vectors.mjs';

const positional = process.argv.slice(2).filter((arg) => !arg.startsWith('--'));
const reference = !process.argv.includes('--no-reference');
const option = (name, fallback) => Number(process.argv.find((arg) => arg.startsWith(`--${name}=`))?.split('=')[1] ?? fallback);
const hdbscanMinPts = option('hdbscan', 0);
const rMax = option('r-max', 20000);
const [n, dims, nComponents] = [positional[0] ?? '10000', positional[1] ?? '256', positional[2] ?? '10'].map(Number);
const root = fileURLToPath(new URL('../../', import.meta.url));
const bundle = join(mkdtempSync(join(tmpdir(), 'umap-wordnet-')), 'bundle.mjs');
const source = join(process.env.SRC ?? root, 'packages/clusterers/src/index.ts');
execFileSync(join(root, 'node_modules/.bin/esbuild'), [source, `--alias:@corpus-proximity/core/internal=${join(root, 'packages/core/src/internal.ts')}`, `--alias:@corpus-proximity/core=${join(root, 'packages/core/src/index.ts')}`, '--bundle', '--platform=node', '--format=esm', `--outfile=${bundle}`, '--log-level=warning'], { cwd: root });
const { umap, hdbscan, adjustedRandIndex } = await import(bundle);
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
if (hdbscanMinPts > 0) compareHdbscan(flat);
if (!reference) {
  console.log(`${rows}×${dims} → ${nComponents}-d cosine (${path}): ${ours}`);
  process.exit(0);
}
const script = fileURLToPath(new URL('./umap_learn_reference.py', import.meta.url));
const run = spawnSync('/usr/bin/python3', [script, folder, String(rows), String(dims), String(nComponents), '15', '0.1', 'cosine'], { encoding: 'utf8' });
rmSync(folder, { recursive: true, force: true });
if (run.status !== 0) {
  // still report our side (umap-learn 0.5 here dies with SIGSEGV on all 117,791 glosses)
  console.log(`${rows}×${dims} → ${nComponents}-d cosine: ${ours} | umap-learn failed (${run.error?.message ?? (run.signal ? `killed by ${run.signal}` : `exit ${run.status}`)}) ${run.stderr.trim().split('\n').at(-1) ?? ''}`);
  process.exit(1);
}
const r = JSON.parse(run.stdout.trim().split('\n').at(-1));
console.log(`${rows}×${dims} → ${nComponents}-d cosine: ${ours}, trustworthiness ${r.trustworthiness_ours.toFixed(4)} | umap-learn ${r.umap_learn_seconds.toFixed(1)} s wall (after JIT warm-up), peak RSS ${r.umap_learn_peak_rss_mb.toFixed(0)} MB, trustworthiness ${r.trustworthiness_umap_learn.toFixed(4)}`);

/** Our hdbscan and R's on the same UMAP output (minPts for both min cluster size and core distance). */
function compareHdbscan(points) {
  const cpu0 = process.cpuUsage();
  const start0 = performance.now();
  const { labels } = hdbscan({ data: points, rows, cols: nComponents }, { minClusterSize: hdbscanMinPts, minSamples: hdbscanMinPts });
  const seconds = (performance.now() - start0) / 1000;
  const spent = process.cpuUsage(cpu0);
  const cpuSeconds = (spent.user + spent.system) / 1e6;
  const clusters = (l) => new Set(l.filter((x) => x >= 0)).size;
  const noise = (l) => l.filter((x) => x < 0).length;
  const list = Array.from(labels);
  let line = `hdbscan minPts ${hdbscanMinPts} on our ${rows}×${nComponents} UMAP output: ours ${seconds.toFixed(2)} s wall / ${cpuSeconds.toFixed(2)} s cpu, peak RSS so far ${(process.resourceUsage().maxRSS / 1024).toFixed(0)} MB, ${clusters(list)} clusters, ${noise(list)} noise`;
  if (rows <= rMax) {
    const r = rHdbscanTimed(Array.from({ length: rows }, (_, i) => Array.from(points.subarray(i * nComponents, (i + 1) * nComponents))), hdbscanMinPts);
    const shrink = hdbscan({ data: points, rows, cols: nComponents }, { minClusterSize: hdbscanMinPts, minSamples: hdbscanMinPts, fragments: 'shrink' }).labels;
    line += ` | R ${r.seconds.toFixed(2)} s wall / ${r.cpuSeconds.toFixed(2)} s cpu (hdbscan() only), peak RSS ${r.maxRssMb} MB, ${clusters(r.labels)} clusters, ${noise(r.labels)} noise | ARI ours vs R ${adjustedRandIndex(labels, r.labels).toFixed(4)} (fragments 'shrink', R's rule: ${adjustedRandIndex(shrink, r.labels).toFixed(4)}), time ours/R ${(seconds / r.seconds).toFixed(3)}`;
  } else line += ` | R skipped (n > --r-max=${rMax}: its dense distance matrix would not fit)`;
  console.log(line);
}
