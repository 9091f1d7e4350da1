// WordNet 3.1 glosses (seeded shuffle of all parts of speech) embedded by the LSA embedder, cached as raw
// float32 (n × dims) so the UMAP benchmarks can share one input. Bundles the sources with esbuild (no build).
//   node bench/cluster/wordnet-vectors.mjs [n=50000] [dims=1024] [out=/tmp/wordnet-<n>x<dims>.f32] [seed=42]
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { importPipelineSources, wordnetLsa } from '../pipeline/sources.mjs';

/** Path of the cached vectors for n × dims (created when missing). */
export async function wordnetVectors(n, dims, seed = 42) {
  const out = join(tmpdir(), `wordnet-${n}x${dims}-s${seed}.f32`);
  if (existsSync(out)) return { data: new Float32Array(readFileSync(out).buffer.slice(0)), path: out };
  const { embeddings: data } = await wordnetLsa(await importPipelineSources(), { limit: n, dimensions: dims, seed }); // flat n × dims
  writeFileSync(out, Buffer.from(data.buffer));
  return { data, path: out };
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const [n = '50000', dims = '1024'] = process.argv.slice(2);
  const { path, data } = await wordnetVectors(Number(n), Number(dims));
  console.log(`${path}: ${data.length / Number(dims)} × ${dims}`);
}
