import { createRandom, deriveSeed, shuffleInPlace } from '../random.js';

/** Where the representative chunks of a cluster are chosen from. */
export interface SelectSamplesOptions {
  /** Row-major N × dimension, L2-normalized. */
  embeddings: Float32Array;
  dimension: number;
  /** The cluster's centroid (need not be normalized). */
  centroid: Float32Array;
  /** Chunk indices of the cluster. */
  members: readonly number[];
  count: number;
  /** Chunk texts: exact duplicates are never picked twice. */
  chunks?: readonly string[];
  /** Seeds the candidate pool of the diverse picks. */
  seed?: number;
  /** Most candidates scored for diversity. Default 1024. */
  poolSize?: number;
  /** Weight of nearness against novelty in the diverse picks (maximal marginal relevance). Default 0.3. */
  lambda?: number;
}

/**
 * Representative chunks of a cluster: the half nearest its centroid (nearest first), then diverse
 * ones by maximal marginal relevance (λ = 0.3) over a seeded candidate pool that leaves out the
 * farthest tenth of a cluster of 20 or more (its fringe is mostly noise). Deterministic.
 */
export function selectSamples(options: SelectSamplesOptions): number[] {
  const { embeddings, dimension, centroid, members, count, chunks } = options;
  if (count <= 0 || members.length === 0) return [];
  const norm = Math.sqrt(dot(centroid, 0, centroid, 0, dimension)) || 1;
  const similarity = (idx: number) => dot(embeddings, idx * dimension, centroid, 0, dimension) / norm;
  const byNearness = members.map((idx) => ({ idx, sim: similarity(idx) }));
  byNearness.sort((a, b) => b.sim - a.sim || a.idx - b.idx);

  const picked: number[] = [];
  const seenTexts = new Set<string>();
  const take = (idx: number) => {
    picked.push(idx);
    if (chunks) seenTexts.add(chunks[idx] ?? '');
  };
  const isDuplicate = (idx: number) => chunks !== undefined && seenTexts.has(chunks[idx] ?? '');
  const nearestCount = Math.ceil(count / 2);
  for (const { idx } of byNearness) {
    if (picked.length >= nearestCount) break;
    if (!isDuplicate(idx)) take(idx);
  }

  const pickedSet = new Set(picked);
  const core = members.length >= 20 ? byNearness.slice(0, Math.ceil(byNearness.length * 0.9)) : byNearness;
  const pool = core.filter(({ idx }) => !pickedSet.has(idx));
  const lambda = options.lambda ?? 0.3;
  const poolSize = options.poolSize ?? 1024;
  // A seeded pool keeps the diversity pass cheap on huge clusters while staying reproducible.
  const candidates = pool.length <= poolSize ? pool : shuffleInPlace(pool, createRandom(deriveSeed(options.seed ?? 0, 'samples'))).slice(0, poolSize);
  const maxSimToPicked = candidates.map(({ idx }) => Math.max(...picked.map((p) => dot(embeddings, idx * dimension, embeddings, p * dimension, dimension))));
  const used = new Uint8Array(candidates.length);
  while (picked.length < count) {
    let best = -1;
    let bestScore = -Infinity;
    for (let c = 0; c < candidates.length; c++) {
      if (used[c] || isDuplicate(candidates[c]!.idx)) continue;
      const score = lambda * candidates[c]!.sim - (1 - lambda) * maxSimToPicked[c]!;
      if (score > bestScore || (score === bestScore && best >= 0 && candidates[c]!.idx < candidates[best]!.idx)) {
        best = c;
        bestScore = score;
      }
    }
    if (best < 0) break;
    used[best] = 1;
    const chosen = candidates[best]!.idx;
    take(chosen);
    for (let c = 0; c < candidates.length; c++) {
      if (used[c]) continue;
      const sim = dot(embeddings, candidates[c]!.idx * dimension, embeddings, chosen * dimension, dimension);
      if (sim > maxSimToPicked[c]!) maxSimToPicked[c] = sim;
    }
  }
  return picked;
}

function dot(a: Float32Array, aOffset: number, b: Float32Array, bOffset: number, dimension: number): number {
  let sum = 0;
  for (let d = 0; d < dimension; d++) sum += a[aOffset + d]! * b[bOffset + d]!;
  return sum;
}
