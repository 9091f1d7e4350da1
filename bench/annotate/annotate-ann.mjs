// annotateBatch against a large index with exact search and with the HNSW search index (approximate,
// then exact re-ranking), on vectors written by bench/search/make-vectors.py and a usearch file
// written by bench/search/search.mjs. Uses the built packages (pnpm build).
//   node bench/annotate/annotate-ann.mjs --data /tmp/cp-search-bench/mixture-100000x384 [--ef 128] [--outputs 5000] [--exact-outputs 20] [--agreement-outputs 200] [--metric ip]
// The query "embedder" hands out the held-out query vectors (no model time is counted: embedding
// 10 sentences costs what the chosen model costs, the same with either search).
// Prints: ms for one 10-sentence output, warm (median of 50), exact and ann; then the eval set
// (--outputs × 10 sentences) with ann, with progress lines, and exact extrapolated from --exact-outputs.
import { open, stat } from 'node:fs/promises';
import { loadavg } from 'node:os';
import { parseArgs } from 'node:util';
import { annotateBatch } from '@corpus-proximity/annotate';
import { corpusIndexFromData } from '@corpus-proximity/core';
import { createRerankedSearch, decodeNpy, loadUsearch } from '@corpus-proximity/core/internal';

const { values: args } = parseArgs({
  options: {
    data: { type: 'string' },
    quantization: { type: 'string', default: 'i8' },
    ef: { type: 'string', default: '128' },
    outputs: { type: 'string', default: '5000' },
    'exact-outputs': { type: 'string', default: '20' },
    // Outputs annotated both ways to compare the clusters named (exact costs ≈ 0.4 s per sentence at 1M).
    'agreement-outputs': { type: 'string', default: '200' },
    leaves: { type: 'string', default: '200' },
    // The metric the usearch file was built with: 'ip' (search.mjs since 2026-12) or 'cos' (files built before).
    metric: { type: 'string', default: 'ip' },
  },
});
const load = () => loadavg().map((x) => x.toFixed(2)).join(' ');
const round = (value) => Math.round(value * 1000) / 1000;
const base = await readNpy(`${args.data}.base.npy`);
const queries = await readNpy(`${args.data}.queries.npy`);
const [count, dimension] = base.shape;

// A two-level tree: 200 leaves (nearest of 200 seeded sample rows), 10 leaves per parent, so neighbours share clusters as in a real index.
const leaves = Number(args.leaves);
const centres = Array.from({ length: leaves }, (_, i) => base.data.subarray(((i * 7919) % count) * dimension, (((i * 7919) % count) + 1) * dimension));
const clusters = new Array(count);
for (let row = 0; row < count; row++) {
  let best = 0;
  let bestSim = -Infinity;
  for (let c = 0; c < leaves; c++) {
    let sim = 0;
    const centre = centres[c];
    for (let d = 0; d < dimension; d++) sim += base.data[row * dimension + d] * centre[d];
    if (sim > bestSim) [best, bestSim] = [c, sim];
  }
  clusters[row] = `0.${Math.floor(best / 10)}.${best % 10}`;
}
const node = (id, children = []) => ({ cluster_id: id, name: `Topic ${id}`, depth: id.split('.').length - 1, size: 0, silhouette: null, split_silhouette: null, noise_count: 0, samples: [], centroid_row: 0, children });
const tree = node('0', Array.from({ length: leaves / 10 }, (_, a) => node(`0.${a}`, Array.from({ length: 10 }, (_, b) => node(`0.${a}.${b}`)))));
const data = { chunks: clusters.map((_, row) => `chunk ${row}`), metadata: clusters.map(() => ({ corpus_stage: 'pretrain' })), embeddings: base.data, dimension, tree, centroids: new Float32Array(0), assignment: { clusters, noise: [] }, stats: {}, config: {}, embedder: { provider: 'bench', modelId: 'vectors', dimensions: dimension }, documents: count, sources: 1 };
const manifest = { embedder: { id: 'bench:vectors', provider: 'bench', model_id: 'vectors', dimensions: dimension, settings: {}, state_files: [] } };
const exactIndex = corpusIndexFromData(data, { directory: '/bench', manifest });
const usearch = await loadUsearch();
const graph = new usearch.Index({ dimensions: dimension, metric: args.metric, quantization: args.quantization, connectivity: 16, expansion_add: 128, expansion_search: Number(args.ef), multi: false });
// search.mjs's file naming: DATA.f16.usearch for cos (older files), DATA.f16.ip.usearch for ip.
graph.view(`${args.data}.${args.quantization}${args.metric === 'cos' ? '' : `.${args.metric}`}.usearch`);
const annIndex = corpusIndexFromData(data, { directory: '/bench', manifest, search: createRerankedSearch(graph, base.data, dimension, 2) });

// Sentence "s o" of output o gets held-out query vector (o · 10 + s) mod #queries.
const queryRows = queries.shape[0];
const embedder = {
  specificationVersion: 'embedder-v1', provider: 'bench', modelId: 'vectors', dimensions: dimension, maxTokens: 512, maxEmbeddingsPerCall: 64,
  async doEmbed({ values }) {
    return { embeddings: values.map((text) => { const [s, o] = text.match(/\d+/g).map(Number); const q = (o * 10 + s) % queryRows; return queries.data.slice(q * dimension, (q + 1) * dimension); }) };
  },
};
const output = (o) => Array.from({ length: 10 }, (_, s) => `Sentence ${s} of output ${o} says something.`).join(' ');

async function oneOutput(index, label, samples = 50) {
  for (let o = 0; o < 5; o++) await annotateBatch(index, embedder, [output(o)]); // warm-up
  const times = [];
  for (let o = 5; o < 5 + samples; o++) {
    const t = performance.now();
    const [result] = await annotateBatch(index, embedder, [output(o)]);
    times.push(performance.now() - t);
    if (new Set(result.annotations.map((a) => a.sentenceIndex)).size !== 10) throw new Error('expected 10 annotated sentences');
  }
  times.sort((a, b) => a - b);
  return { search: label, outputs: samples, ms_per_10_sentence_output_p50: round(times[Math.floor(samples / 2)]), p90: round(times[Math.floor(samples * 0.9)]), load: load() };
}
const results = { count, dimension, ef: Number(args.ef), quantization: args.quantization, leaves };

// The search alone: the first round annotateBatch asks for (60 candidates for k = 3), 10 sentences at once.
const searchOnly = (index) => {
  const times = [];
  for (let o = 0; o < 60; o++) {
    const batch = Array.from({ length: 10 }, (_, s) => { const q = (o * 10 + s) % queryRows; return queries.data.subarray(q * dimension, (q + 1) * dimension); });
    const t = performance.now();
    index.searchMany(batch, 60);
    if (o >= 10) times.push(performance.now() - t);
  }
  times.sort((a, b) => a - b);
  return round(times[25]);
};
results.search_60_candidates_x10_ms_p50 = { ann: searchOnly(annIndex), exact: searchOnly(exactIndex), load: load() };
// How often 60 candidates hold fewer than 3 distinct leaves (annotateBatch then searches again with 240 and 960, then completes from centroids).
let short = 0;
for (let q = 0; q < Math.min(500, queryRows); q++) {
  const hits = annIndex.search(queries.data.subarray(q * dimension, (q + 1) * dimension), 60);
  if (new Set(hits.map((hit) => clusters[hit.idx])).size < 3) short++;
}
results.sentences_needing_more_candidates = round(short / Math.min(500, queryRows));
console.log(JSON.stringify(results));
results.one_output = [await oneOutput(annIndex, 'ann'), await oneOutput(exactIndex, 'exact', Math.min(50, Number(args['exact-outputs'])))];
console.log(JSON.stringify(results.one_output));

// Agreement of the annotations: same cluster at each rank, ann vs exact, on --agreement-outputs outputs.
const sample = Array.from({ length: Number(args['agreement-outputs']) }, (_, o) => output(o));
const [a, e] = [await annotateBatch(annIndex, embedder, sample), await annotateBatch(exactIndex, embedder, sample)];
// One pass over each sentence's annotations, ann beside exact:
// - agreement: the same cluster at a rank, overall and per rank (rank 1 comes from the first graph
//   search, ranks 2–3 may come from the completion);
// - the k = 3 clusters as a set: the share of exact's clusters ann also names, and how much farther
//   ann's chunk for a shared cluster is (0 when it found the same nearest chunk);
// - where ann names another cluster at a rank: how much farther its chunk is than exact's at that
//   rank, against the spread of exact's own three distances (rank 3 − rank 1).
const bySentence = (result) => {
  const groups = new Map();
  for (const annotation of result.annotations) groups.set(annotation.sentenceIndex, [...(groups.get(annotation.sentenceIndex) ?? []), annotation]);
  return groups;
};
const byRank = [0, 0, 0];
const rankTotal = [0, 0, 0];
let named = 0;
let shared = 0;
let extra = 0;
let gapSum = 0;
let gapCount = 0;
let spreadSum = 0;
let spreadCount = 0;
a.forEach((result, o) => {
  const exactSentences = bySentence(e[o]);
  for (const [sentence, annotations] of bySentence(result)) {
    const exact = exactSentences.get(sentence);
    const exactDistance = new Map(exact.map((annotation) => [annotation.clusterId, annotation.distance]));
    named += exactDistance.size;
    if (exact.length === 3) { spreadSum += exact[2].distance - exact[0].distance; spreadCount++; }
    annotations.forEach((annotation, rank) => {
      rankTotal[rank]++;
      if (exact[rank]?.clusterId === annotation.clusterId) byRank[rank]++;
      else if (exact[rank]) { gapSum += annotation.distance - exact[rank].distance; gapCount++; }
      if (exactDistance.has(annotation.clusterId)) { shared++; extra += annotation.distance - exactDistance.get(annotation.clusterId); }
    });
  }
});
const sum = (values) => values.reduce((x, y) => x + y, 0);
results.cluster_agreement_ann_vs_exact = round(sum(byRank) / sum(rankTotal));
results.cluster_agreement_by_rank = byRank.map((count, rank) => round(count / Math.max(1, rankTotal[rank])));
results.top3_cluster_set_recall_ann_vs_exact = round(shared / named);
results.differing_rank_mean_extra_distance = round(gapSum / Math.max(1, gapCount));
results.exact_rank3_minus_rank1_mean_distance = round(spreadSum / Math.max(1, spreadCount));
results.mean_extra_distance_on_shared_clusters = round(extra / Math.max(1, shared));

const evalSet = async (index, outputs, label) => {
  const items = Array.from({ length: outputs }, (_, o) => output(o));
  const t = performance.now();
  let last = 0;
  await annotateBatch(index, embedder, items, {
    onProgress: (event) => {
      if (event.stage === 'annotate' && Date.now() - last > 10_000) {
        last = Date.now();
        process.stderr.write(`[${label}] ${event.done}/${event.total} outputs ${((performance.now() - t) / 1000).toFixed(0)}s load ${load()}\n`);
      }
    },
  });
  return (performance.now() - t) / 1000;
};
const annSeconds = await evalSet(annIndex, Number(args.outputs), 'ann');
results.eval_set_ann = { outputs: Number(args.outputs), sentences: Number(args.outputs) * 10, seconds: round(annSeconds), load: load() };
const exactSeconds = await evalSet(exactIndex, Number(args['exact-outputs']), 'exact');
results.eval_set_exact = { outputs: Number(args['exact-outputs']), seconds: round(exactSeconds), extrapolated_seconds_for_eval_set: round((exactSeconds * Number(args.outputs)) / Number(args['exact-outputs'])), load: load() };
results.peak_rss_mb = Math.round(process.resourceUsage().maxRSS / 1024);
console.log(JSON.stringify(results));

async function readNpy(file) {
  const { size } = await stat(file);
  const bytes = new Uint8Array(size);
  const handle = await open(file, 'r');
  for (let offset = 0; offset < size; ) offset += (await handle.read(bytes, offset, Math.min(size - offset, 1 << 26), offset)).bytesRead;
  await handle.close();
  return decodeNpy(bytes, file);
}
