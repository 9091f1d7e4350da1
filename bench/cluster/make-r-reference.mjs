// Regenerates the R dbscan::hdbscan reference labels used by hdbscan-reference.test.ts.
// Needs Rscript with the dbscan package (Debian: apt-get install r-cran-dbscan).
// Usage: node bench/cluster/make-r-reference.mjs [n=1500] [dims=3] [minPts=15]
//        node bench/cluster/make-r-reference.mjs --wordnet [n=4000] [minPts=30]
// The second form takes the first n rows of our UMAP (10-d, cosine, k = 15, minDist 0.1, seed 42)
// of 10,000 WordNet glosses embedded by LSA (256-d): real data where R's handling of small
// fragments (see HdbscanOptions.fragments) changes the labels. Coordinates are rounded to multiples
// of 1/1024 (exact in float32 and float64, so R and we see the same points) and stored ×1024 as integers.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { rHdbscan } from './r-hdbscan.mjs';
import { blobs } from './synthetic.mjs';
import { wordnetVectors } from './wordnet-vectors.mjs';

const wordnet = process.argv.includes('--wordnet');
const args = process.argv.slice(2).filter((arg) => !arg.startsWith('--')).map(Number);
const fixtures = fileURLToPath(new URL('../../packages/clusterers/src/hdbscan/fixtures/', import.meta.url));
const round = (v) => Math.round(v * 1024) / 1024;

if (wordnet) {
  const [n = 4000, minPts = 30] = args;
  const root = fileURLToPath(new URL('../../', import.meta.url));
  const bundle = join(mkdtempSync(join(tmpdir(), 'r-reference-')), 'bundle.mjs');
  execFileSync(join(root, 'node_modules/.bin/esbuild'), ['packages/clusterers/src/index.ts', `--alias:@corpus-proximity/core/internal=${join(root, 'packages/core/src/internal.ts')}`, `--alias:@corpus-proximity/core=${join(root, 'packages/core/src/index.ts')}`, '--bundle', '--platform=node', '--format=esm', `--outfile=${bundle}`, '--log-level=warning'], { cwd: root });
  const { umap } = await import(bundle);
  const { data } = await wordnetVectors(10000, 256);
  const embedding = umap({ data, rows: 10000, cols: 256 }, { nComponents: 10, nNeighbors: 15, minDist: 0.1, metric: 'cosine', seed: 42 });
  const points = embedding.slice(0, n).map((row) => Array.from(row, round));
  const labels = rHdbscan(points, minPts);
  const out = join(fixtures, 'r-hdbscan-wordnet-reference.json');
  const source = `first ${n} rows of our 10-d UMAP of 10,000 WordNet glosses (LSA 256-d); R dbscan::hdbscan(x, minPts = ${minPts}); label = R cluster − 1 (−1 = noise); points ×1024`;
  writeFileSync(out, JSON.stringify({ source, minPts, scale: 1024, points: points.map((row) => row.map((v) => Math.round(v * 1024))), labels }) + '\n');
  console.log(`wrote ${out}: ${n} points, ${new Set(labels).size - 1} clusters, ${labels.filter((l) => l < 0).length} noise`);
} else {
  const [n = 1500, dims = 3, minPts = 15] = args;
  const { data } = blobs({ n, dims, clusters: 10, seed: 2, noiseFraction: 0.08, spread: 0.8, box: 10 });
  const points = Array.from({ length: n }, (_, i) => Array.from(data.subarray(i * dims, (i + 1) * dims), round));
  const labels = rHdbscan(points, minPts);
  const out = join(fixtures, 'r-hdbscan-reference.json');
  writeFileSync(out, JSON.stringify({ source: `R dbscan::hdbscan(x, minPts = ${minPts}); label = R cluster − 1 (−1 = noise)`, minPts, points, labels }) + '\n');
  console.log(`wrote ${out}: ${n} points, ${new Set(labels).size - 1} clusters, ${labels.filter((l) => l < 0).length} noise`);
}
