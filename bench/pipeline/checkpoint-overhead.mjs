// Cost of crash-safe embedding on WordNet 3.1 glosses with the LSA embedder: plain embedChunks vs
// embedWithCheckpoints (shards every --every rows + the embedding cache), a resume after an abort
// halfway, and a rerun served from the cache. Bundles the sources with esbuild (no build needed).
//   node bench/pipeline/checkpoint-overhead.mjs [--limit 50000] [--every 5000] [--dimensions 256] [--seed 42]
// Prints one JSON object of seconds per step and the bytes the checkpoint and the cache hold.
import { mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { importPipelineSources, wordnetGlossSample } from './sources.mjs';

const { values: args } = parseArgs({
  options: { limit: { type: 'string', default: '50000' }, every: { type: 'string', default: '5000' }, dimensions: { type: 'string', default: '256' }, seed: { type: 'string', default: '42' } },
});
const scratch = mkdtempSync(join(tmpdir(), 'checkpoint-bench-'));
const sources = await importPipelineSources();
const { embedChunks, embedWithCheckpoints, createLsaEmbedder } = sources;
const seed = Number(args.seed);
const chunks = wordnetGlossSample(sources, Number(args.limit), seed);
const embedder = createLsaEmbedder({ dimensions: Number(args.dimensions), onWarning: () => undefined });
const seconds = async (work) => {
  const start = performance.now();
  await work();
  return Number(((performance.now() - start) / 1000).toFixed(2));
};
const fit = await seconds(() => embedder.doFit({ values: chunks, seed }));
const options = (name, extra = {}) => ({ workDirectory: join(scratch, name), checkpointEvery: Number(args.every), cacheDirectory: join(scratch, `${name}-cache`), cacheKey: { dtype: 'float32', chunking: {} }, ...extra });
const sizeOf = (folder) => readdirSync(folder, { recursive: true }).reduce((sum, name) => sum + (statSync(join(folder, name)).isFile() ? statSync(join(folder, name)).size : 0), 0);

const plain = await seconds(() => embedChunks(embedder, chunks));
let checkpointBytes = 0;
const checkpointed = await seconds(async () => {
  const result = await embedWithCheckpoints(embedder, chunks, options('full'));
  checkpointBytes = sizeOf(join(scratch, 'full'));
  await result.checkpoint.remove();
});
const controller = new AbortController();
let resumedRows = 0;
await embedWithCheckpoints(embedder, chunks, {
  ...options('resume'),
  abortSignal: controller.signal,
  onProgress: (event) => event.done >= chunks.length / 2 && controller.abort(),
}).catch(() => undefined);
const resume = await seconds(async () => {
  resumedRows = (await embedWithCheckpoints(embedder, chunks, options('resume'))).resumedFromCheckpoint;
});
const fromCache = await seconds(() => embedWithCheckpoints(embedder, chunks, options('rerun', { cacheDirectory: join(scratch, 'full-cache') })));
console.log(
  JSON.stringify({
    chunks: chunks.length,
    dimension: embedder.dimensions,
    every: Number(args.every),
    fit_seconds: fit,
    plain_embed_seconds: plain,
    checkpointed_embed_seconds: checkpointed,
    resume_after_half_seconds: resume,
    resumed_rows: resumedRows,
    rerun_from_cache_seconds: fromCache,
    checkpoint_bytes: checkpointBytes,
    cache_bytes: sizeOf(join(scratch, 'full-cache')),
    peak_rss_mb: Math.round(process.resourceUsage().maxRSS / 1024),
  }),
);
rmSync(scratch, { recursive: true, force: true });
