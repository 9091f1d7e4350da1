import { createRandom, deriveSeed } from '../random.js';

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
  const sims = new Float64Array(members.length);
  for (let m = 0; m < members.length; m++) sims[m] = dot(embeddings, members[m]! * dimension, centroid, 0, dimension) / norm;
  const byNearness = (positions: number[]) => positions.sort((a, b) => sims[b]! - sims[a]! || members[a]! - members[b]!);

  const picked: number[] = [];
  const pickedPositions = new Set<number>();
  const seenTexts = new Set<string>();
  const isDuplicate = (position: number) => chunks !== undefined && seenTexts.has(chunks[members[position]!] ?? '');
  const take = (position: number) => {
    picked.push(members[position]!);
    pickedPositions.add(position);
    if (chunks) seenTexts.add(chunks[members[position]!] ?? '');
  };
  const nearestCount = Math.ceil(count / 2);
  // Sort only a generous head of the cluster; the whole of it only if duplicates used that up.
  for (const head of [nearestCount * 4 + 16, members.length]) {
    for (const position of byNearness(topPositions(sims, Math.min(head, members.length)))) {
      if (picked.length >= nearestCount) break;
      if (!pickedPositions.has(position) && !isDuplicate(position)) take(position);
    }
    if (picked.length >= nearestCount || head >= members.length) break;
  }

  const candidates = candidatePool(sims, pickedPositions, options.poolSize ?? 1024, deriveSeed(options.seed ?? 0, 'samples'));
  const lambda = options.lambda ?? 0.3;
  const maxSimToPicked = candidates.map((position) =>
    Math.max(...picked.map((idx) => dot(embeddings, members[position]! * dimension, embeddings, idx * dimension, dimension))),
  );
  const used = new Uint8Array(candidates.length);
  while (picked.length < count) {
    let best = -1;
    let bestScore = -Infinity;
    for (let c = 0; c < candidates.length; c++) {
      if (used[c] || isDuplicate(candidates[c]!)) continue;
      const score = lambda * sims[candidates[c]!]! - (1 - lambda) * maxSimToPicked[c]!;
      if (score > bestScore || (score === bestScore && best >= 0 && members[candidates[c]!]! < members[candidates[best]!]!)) {
        best = c;
        bestScore = score;
      }
    }
    if (best < 0) break;
    used[best] = 1;
    take(candidates[best]!);
    const chosen = picked.at(-1)!;
    for (let c = 0; c < candidates.length; c++) {
      if (used[c]) continue;
      const sim = dot(embeddings, members[candidates[c]!]! * dimension, embeddings, chosen * dimension, dimension);
      if (sim > maxSimToPicked[c]!) maxSimToPicked[c] = sim;
    }
  }
  return picked;
}

/** Positions of the `k` largest values (unordered), in O(n) memory-light passes for small k. */
function topPositions(values: Float64Array, k: number): number[] {
  if (k >= values.length) return Array.from(values, (_, i) => i);
  const threshold = Float64Array.from(values).sort()[values.length - k]!;
  const above: number[] = [];
  const equal: number[] = [];
  for (let i = 0; i < values.length; i++) {
    if (values[i]! > threshold) above.push(i);
    else if (values[i] === threshold) equal.push(i);
  }
  return [...above, ...equal.slice(0, k - above.length)];
}

/**
 * Unpicked positions to draw diverse samples from: all of them, or a seeded sample of `poolSize`;
 * without the farthest tenth when there are 20 or more (a cluster's fringe is mostly noise).
 */
function candidatePool(sims: Float64Array, picked: Set<number>, poolSize: number, seed: number): number[] {
  const free = sims.length - picked.size;
  let pool: number[];
  if (free <= poolSize) {
    pool = [];
    for (let i = 0; i < sims.length; i++) if (!picked.has(i)) pool.push(i);
  } else {
    const random = createRandom(seed);
    const chosen = new Set<number>();
    while (chosen.size < poolSize) {
      const position = Math.floor(random() * sims.length);
      if (!picked.has(position)) chosen.add(position);
    }
    pool = [...chosen].sort((a, b) => a - b);
  }
  if (sims.length < 20 || pool.length === 0) return pool;
  const cut = pool.map((position) => sims[position]!).sort((a, b) => a - b)[Math.floor(pool.length * 0.1)]!;
  return pool.filter((position) => sims[position]! >= cut);
}

function dot(a: Float32Array, aOffset: number, b: Float32Array, bOffset: number, dimension: number): number {
  let sum = 0;
  for (let d = 0; d < dimension; d++) sum += a[aOffset + d]! * b[bOffset + d]!;
  return sum;
}
