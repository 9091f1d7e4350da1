// HNSW through corpus-proximity's search index (usearch, f16 or i8, exact re-ranking) on vectors
// written by make-vectors.py: build time, file size, memory, p50/p99 per query and recall@10 against
// the exact top-10, for several search breadths (ef). Uses the built @corpus-proximity/core (pnpm build).
//   node bench/search/search.mjs --data /tmp/cp-search-bench/mixture-100000x384 [--quantization i8|f16] [--metric ip] [--ef 16,32,64,128,256] [--rerank 2]
// Prints one JSON line per ef, then a summary line: the smallest ef reaching recall@10 ≥ 0.97.
import { open, stat } from 'node:fs/promises';
import { loadavg } from 'node:os';
import { parseArgs } from 'node:util';
import { buildSearchIndex, createRerankedSearch, decodeNpy, loadUsearch } from '@corpus-proximity/core/internal';

const { values: args } = parseArgs({
  options: {
    data: { type: 'string' },
    quantization: { type: 'string', default: 'i8' },
    // ip is the index default; cos reads files built before it.
    metric: { type: 'string', default: 'ip' },
    ef: { type: 'string', default: '16,32,64,128,256' },
    rerank: { type: 'string', default: '2' },
    connectivity: { type: 'string', default: '16' },
    'ef-construction': { type: 'string', default: '128' },
    out: { type: 'string' },
    // Search an existing file again (e.g. with other ef values) instead of building it.
    'reuse-file': { type: 'boolean', default: false },
  },
});
const stem = args.data;
const load = () => loadavg().map((x) => x.toFixed(2)).join(' ');
const base = await readNpy(`${stem}.base.npy`);
const queries = await readNpy(`${stem}.queries.npy`);
const truth = await readNpy(`${stem}.truth.npy`, { int64: true });
const [count, dimension] = base.shape;
const path = args.out ?? `${stem}.${args.quantization}${args.metric === 'cos' ? '' : `.${args.metric}`}.usearch`;
const rssBefore = process.memoryUsage().rss;

const cpuBefore = process.cpuUsage();
const started = performance.now();
let lastPrint = 0;
const { file } = args['reuse-file'] ? { file: { bytes: (await stat(path)).size } } : await buildSearchIndex(base.data, dimension, {
  path,
  embeddingsSha256: 'bench',
  settings: { metric: args.metric, quantization: args.quantization, connectivity: Number(args.connectivity), expansionAdd: Number(args['ef-construction']), recallQueries: 0 },
  onProgress: (event) => {
    if (event.total && Date.now() - lastPrint > 30_000) {
      lastPrint = Date.now();
      process.stderr.write(`[build] ${event.done}/${event.total} ${((performance.now() - started) / 1000).toFixed(0)}s load ${load()}\n`);
    }
  },
});
const buildSeconds = (performance.now() - started) / 1000;
const cpu = process.cpuUsage(cpuBefore);
const buildCpuSeconds = (cpu.user + cpu.system) / 1e6;
const buildLoad = load();
const rssAfterBuild = process.memoryUsage().rss;

const usearch = await loadUsearch();
const rows = queries.shape[0];
const queryRows = Array.from({ length: rows }, (_, q) => queries.data.subarray(q * dimension, (q + 1) * dimension));
const results = [];
for (const ef of args.ef.split(',').map(Number)) {
  const graph = new usearch.Index({ dimensions: dimension, metric: args.metric, quantization: args.quantization, connectivity: Number(args.connectivity), expansion_add: Number(args['ef-construction']), expansion_search: ef, multi: false });
  graph.view(path);
  const search = createRerankedSearch(graph, base.data, dimension, Number(args.rerank));
  for (let q = 0; q < Math.min(100, rows); q++) search.search(queryRows[q], 10); // warm-up
  const times = [];
  let found = 0;
  for (let q = 0; q < rows; q++) {
    const t = performance.now();
    const hits = search.search(queryRows[q], 10);
    times.push(performance.now() - t);
    const expected = new Set(Array.from(truth.data.subarray(q * 10, q * 10 + 10), Number));
    for (const hit of hits) if (expected.has(hit.idx)) found++;
  }
  times.sort((a, b) => a - b);
  const result = {
    library: 'corpus-proximity (usearch)',
    quantization: args.quantization,
    metric: args.metric,
    ef,
    rerank: Number(args.rerank),
    recall_at_10: found / (rows * 10),
    p50_ms: round(times[Math.floor(rows * 0.5)]),
    p99_ms: round(times[Math.floor(rows * 0.99)]),
    load: load(),
  };
  results.push(result);
  console.log(JSON.stringify(result));
}
const rawBytes = count * dimension * 4;
const good = results.find((result) => result.recall_at_10 >= 0.97);
console.log(
  JSON.stringify({
    summary: true,
    data: stem,
    count,
    dimension,
    quantization: args.quantization,
    metric: args.metric,
    build_s: round(buildSeconds),
    build_cpu_s: round(buildCpuSeconds),
    build_load: buildLoad,
    file_bytes: file.bytes,
    file_vs_raw_f32: round(file.bytes / rawBytes),
    rss_build_delta_mb: Math.round((rssAfterBuild - rssBefore) / 2 ** 20),
    rss_after_queries_mb: Math.round(process.memoryUsage().rss / 2 ** 20),
    at_recall_097: good ?? null,
  }),
);

function round(value) {
  return Math.round(value * 1000) / 1000;
}

// .npy of any size (readFile stops at 2 GiB): one allocation, read in 64 MiB pieces. int64 (the truth ids) as numbers.
async function readNpy(file, { int64 = false } = {}) {
  const { size } = await stat(file);
  const bytes = new Uint8Array(size);
  const handle = await open(file, 'r');
  for (let offset = 0; offset < size; ) offset += (await handle.read(bytes, offset, Math.min(size - offset, 1 << 26), offset)).bytesRead;
  await handle.close();
  if (int64) {
    const headerLength = new DataView(bytes.buffer).getUint16(8, true);
    const header = new TextDecoder('latin1').decode(bytes.subarray(10, 10 + headerLength));
    const shape = /'shape'\s*:\s*\((\d+), (\d+)\)/.exec(header).slice(1).map(Number);
    const values = new BigInt64Array(bytes.buffer.slice(10 + headerLength));
    return { data: Float64Array.from(values, Number), shape };
  }
  return decodeNpy(bytes, file);
}
