#!/usr/bin/env node
// How often does a held-out WordNet gloss's nearest cluster share its lexicographer file?
// usage: node bench/quality/wordnet-heldout.mjs INDEX_DIR [HELD_OUT=1000]
// INDEX_DIR must be built from examples/wordnet (same seed 42 slice), e.g. by `pnpm demo` (out/demo/index).
import { annotateBatch } from '@corpus-proximity/annotate';
import { loadCorpusIndex } from '@corpus-proximity/core';
import { embedderFromManifest } from '@corpus-proximity/embedders';
import { wordNetSlice } from '../../examples/wordnet/wordnet-corpus.mjs';

const [directory = 'out/demo/index', heldOutArg = '1000'] = process.argv.slice(2);
const index = await loadCorpusIndex(directory);
const embedder = embedderFromManifest({ ...index.embedder, settings: index.manifest.embedder.settings }, index.embedder.state?.files ?? {});
const { heldOut } = wordNetSlice({ size: index.count, heldOut: Number(heldOutArg), seed: 42 });

// Majority lexicographer file of each cluster (all chunks under it, noise included).
const majority = new Map();
const counts = new Map();
index.assignment.clusters.forEach((clusterId, idx) => {
  const lexname = index.metadata[idx].lexname;
  const parts = clusterId.split('.');
  for (let end = 1; end <= parts.length; end++) {
    const id = parts.slice(0, end).join('.');
    const map = counts.get(id) ?? new Map();
    map.set(lexname, (map.get(lexname) ?? 0) + 1);
    counts.set(id, map);
  }
});
for (const [id, map] of counts) majority.set(id, [...map.entries()].sort((a, b) => b[1] - a[1])[0][0]);

const started = performance.now();
const results = await annotateBatch(index, embedder, heldOut.map((record) => record.text), { k: 1, phraseLevel: false });
const seconds = (performance.now() - started) / 1000;

let clusterHits = 0;
let chunkHits = 0;
let nonRoot = 0;
const predicted = [];
results.forEach((result, i) => {
  const top = result.annotations.find((a) => a.rank === 1);
  const truth = heldOut[i].lexname;
  const guess = majority.get(top.clusterId);
  predicted.push(guess);
  if (guess === truth) clusterHits++;
  if (top.clusterId !== '0') nonRoot++;
  if (index.metadata[top.nearestChunkIdx].lexname === truth) chunkHits++;
});
// Chance: the same predictions against shuffled truths (independence), averaged over 20 seeded shuffles.
let shuffledHits = 0;
let state = 7;
const random = () => ((state = (state * 1103515245 + 12345) >>> 0) / 4294967296);
for (let round = 0; round < 20; round++) {
  const truths = heldOut.map((r) => r.lexname);
  for (let i = truths.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [truths[i], truths[j]] = [truths[j], truths[i]];
  }
  shuffledHits += truths.filter((truth, i) => truth === predicted[i]).length;
}
const n = heldOut.length;
const classCounts = new Map();
for (const r of heldOut) classCounts.set(r.lexname, (classCounts.get(r.lexname) ?? 0) + 1);
const majorityClass = Math.max(...classCounts.values()) / n;
console.log(JSON.stringify({
  index: directory,
  corpus_chunks: index.count,
  held_out: n,
  nearest_cluster_majority_matches: +(clusterHits / n).toFixed(4),
  chance_same_predictions_shuffled_truth: +(shuffledHits / 20 / n).toFixed(4),
  always_most_common_lexname: +majorityClass.toFixed(4),
  nearest_chunk_matches: +(chunkHits / n).toFixed(4),
  nearest_cluster_not_root_noise: +(nonRoot / n).toFixed(4),
  annotate_seconds: +seconds.toFixed(2),
}, null, 2));
