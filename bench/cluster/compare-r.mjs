// ARI of our hdbscan labels against R dbscan::hdbscan on several seeded data sets.
// Usage: node bench/cluster/compare-r.mjs   (build first: pnpm --filter @corpus-proximity/clusterers build)
import { adjustedRandIndex, hdbscan } from '../../packages/clusterers/dist/index.js';
import { rHdbscan } from './r-hdbscan.mjs';
import { blobs } from './synthetic.mjs';

const cases = [
  { n: 1000, dims: 2, clusters: 6, minPts: 10, seed: 1 },
  { n: 2000, dims: 3, clusters: 12, minPts: 15, seed: 2 },
  { n: 2000, dims: 5, clusters: 20, minPts: 5, seed: 3 },
  { n: 3000, dims: 10, clusters: 15, minPts: 25, seed: 4 },
  { n: 1500, dims: 2, clusters: 30, minPts: 8, seed: 5, spread: 2 },
];
for (const c of cases) {
  const { data } = blobs({ ...c, noiseFraction: 0.1 });
  const rows = Array.from({ length: c.n }, (_, i) => Array.from(data.subarray(i * c.dims, (i + 1) * c.dims), (v) => Math.round(v * 1024) / 1024));
  const theirs = rHdbscan(rows, c.minPts);
  const ours = hdbscan(rows.map((r) => Float32Array.from(r)), { minClusterSize: c.minPts, minSamples: c.minPts }).labels;
  const exact = theirs.every((l, i) => l === ours[i]);
  const count = (labels) => new Set(labels).size - (labels.includes(-1) ? 1 : 0);
  console.log(`${c.n}×${c.dims} minPts ${c.minPts}: R ${count(theirs)} clusters / ${theirs.filter((l) => l < 0).length} noise; ours ${count(Array.from(ours))} / ${ours.filter((l) => l < 0).length}; ARI ${adjustedRandIndex(ours, theirs).toFixed(4)}${exact ? ' (identical labels)' : ''}`);
}
