// Regenerates the R dbscan::hdbscan reference labels used by hdbscan-reference.test.ts.
// Needs Rscript with the dbscan package (Debian: apt-get install r-cran-dbscan).
// Usage: node bench/cluster/make-r-reference.mjs [n=1500] [dims=3] [minPts=15]
import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { rHdbscan } from './r-hdbscan.mjs';
import { blobs } from './synthetic.mjs';

const [n = 1500, dims = 3, minPts = 15] = process.argv.slice(2).map(Number);
const { data } = blobs({ n, dims, clusters: 10, seed: 2, noiseFraction: 0.08, spread: 0.8, box: 10 });
// multiples of 1/1024 are exact in float32 and float64, so R and we see the same coordinates
const points = Array.from({ length: n }, (_, i) => Array.from(data.subarray(i * dims, (i + 1) * dims), (v) => Math.round(v * 1024) / 1024));
const labels = rHdbscan(points, minPts);
const out = fileURLToPath(new URL('../../packages/clusterers/src/fixtures/r-hdbscan-reference.json', import.meta.url));
writeFileSync(out, JSON.stringify({ source: `R dbscan::hdbscan(x, minPts = ${minPts}); label = R cluster − 1 (−1 = noise)`, minPts, points, labels }) + '\n');
console.log(`wrote ${out}: ${n} points, ${new Set(labels).size - 1} clusters, ${labels.filter((l) => l < 0).length} noise`);

