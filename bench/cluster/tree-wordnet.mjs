// The whole recursive cluster tree (buildClusterTree + createUmapHdbscanClusterer, default settings,
// seed 42) on WordNet glosses embedded by LSA (wordnet-vectors.mjs; embedding time not counted).
// Bundles the sources with esbuild (no build). SRC=<folder holding packages/clusterers/src> runs
// another copy of the clusterers (e.g. an older version) for a before/after comparison.
//   node bench/cluster/tree-wordnet.mjs [n=50000] [dims=128]
import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { wordnetVectors } from './wordnet-vectors.mjs';

const [n = 50000, dims = 128] = process.argv.slice(2).map(Number);
const root = fileURLToPath(new URL('../../', import.meta.url));
const clusterers = join(process.env.SRC ?? root, 'packages/clusterers/src/index.ts');
const folder = mkdtempSync(join(tmpdir(), 'tree-wordnet-'));
writeFileSync(join(folder, 'entry.mjs'), `export { buildClusterTree } from '${join(root, 'packages/core/src/index.ts')}';\nexport { createUmapHdbscanClusterer } from '${clusterers}';\n`);
execFileSync(join(root, 'node_modules/.bin/esbuild'), [join(folder, 'entry.mjs'), '--bundle', '--platform=node', '--format=esm', `--outfile=${join(folder, 'bundle.mjs')}`, '--log-level=warning', `--alias:@corpus-proximity/core/internal=${join(root, 'packages/core/src/internal.ts')}`, `--alias:@corpus-proximity/core=${join(root, 'packages/core/src/index.ts')}`], { cwd: root });
const { buildClusterTree, createUmapHdbscanClusterer } = await import(join(folder, 'bundle.mjs'));
const { data } = await wordnetVectors(n, dims);
const rows = data.length / dims;
const cpu = process.cpuUsage();
const start = performance.now();
const result = await buildClusterTree(data, dims, createUmapHdbscanClusterer(), { seed: 42, settings: { tree: 'recursive' } });
const wall = (performance.now() - start) / 1000;
const used = process.cpuUsage(cpu);
const count = (node) => 1 + node.children.reduce((sum, child) => sum + count(child), 0);
const leaves = (node) => (node.children.length === 0 ? 1 : node.children.reduce((sum, child) => sum + leaves(child), 0));
console.log(JSON.stringify({ rows, dims, seconds: Number(wall.toFixed(1)), cpuSeconds: Number(((used.user + used.system) / 1e6).toFixed(1)), peakRssMb: Math.round(process.resourceUsage().maxRSS / 1024), nodes: count(result.tree), leaves: leaves(result.tree), top: result.tree.children.length }));
