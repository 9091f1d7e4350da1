// What the tree benchmarks share: a labelled corpus in a fixed order, and NMI / ARI of two labelings.
import { readFileSync } from 'node:fs';
import { readWordNetGlosses } from '../../examples/wordnet/wordnet-corpus.mjs';

/** The first n texts and labels: WordNet glosses in the demo's seeded order (labels = lexicographer files), or a JSONL file's `text` and `label` in file order. */
export function readLabelledCorpus(sources, corpus, n) {
  if (corpus === 'wordnet') {
    const records = sources.shuffleInPlace(readWordNetGlosses(), sources.createRandom(42)).slice(0, n);
    return { texts: records.map((r) => r.gloss), labelNames: records.map((r) => r.lexname) };
  }
  const records = readFileSync(corpus, 'utf8').trim().split('\n').map((line) => JSON.parse(line)).slice(0, n);
  return { texts: records.map((r) => r.text), labelNames: records.map((r) => String(r.label)) };
}

/** NMI (arithmetic mean normalisation, as sklearn's default) and ARI of two labelings. */
export function agreement(a, b) {
  const key = (x) => String(x);
  const na = new Map(), nb = new Map(), nab = new Map();
  for (let i = 0; i < a.length; i++) {
    na.set(key(a[i]), (na.get(key(a[i])) ?? 0) + 1);
    nb.set(key(b[i]), (nb.get(key(b[i])) ?? 0) + 1);
    const k = `${a[i]}\u0000${b[i]}`;
    nab.set(k, (nab.get(k) ?? 0) + 1);
  }
  const N = a.length;
  const h = (m) => -[...m.values()].reduce((s, c) => s + (c / N) * Math.log(c / N), 0);
  let mi = 0;
  for (const [k, c] of nab) {
    const [x, y] = k.split('\u0000');
    mi += (c / N) * Math.log((c * N) / (na.get(x) * nb.get(y)));
  }
  const ha = h(na), hb = h(nb);
  const nmi = ha + hb === 0 ? 1 : (2 * mi) / (ha + hb);
  const c2 = (x) => (x * (x - 1)) / 2;
  const sumAb = [...nab.values()].reduce((s, c) => s + c2(c), 0);
  const sumA = [...na.values()].reduce((s, c) => s + c2(c), 0);
  const sumB = [...nb.values()].reduce((s, c) => s + c2(c), 0);
  const expected = (sumA * sumB) / c2(N);
  const max = (sumA + sumB) / 2;
  const ari = max === expected ? 1 : (sumAb - expected) / (max - expected);
  return { nmi: Number(nmi.toFixed(4)), ari: Number(ari.toFixed(4)) };
}

/** The clusterer `corpus-proximity index --tree KIND` builds (the CLI's tree preset), with `umap` (JSON text, e.g. '{"knnOversampling":1}') over its UMAP settings for experiments. */
export function presetClusterer(sources, kind, umap) {
  const config = sources.applyTreePreset({}, kind);
  return sources.createUmapHdbscanClusterer({ ...config.umap, ...config.hdbscan, ...(umap ? JSON.parse(umap) : {}) });
}
