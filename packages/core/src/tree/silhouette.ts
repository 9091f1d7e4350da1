import { createRandom, shuffleInPlace } from '../random.js';

/** Silhouette of a clustering: the mean over scored points and the mean per cluster. */
export interface SilhouetteResult {
  /** Mean silhouette of all scored points; null when fewer than two clusters. */
  mean: number | null;
  /** Mean silhouette per cluster label. */
  perCluster: Map<number, number>;
  /** Points scored (a stratified sample when the input is large). */
  sampled: number;
}

/**
 * Silhouette with cosine distance over L2-normalized rows (noise, label −1, excluded).
 * Large inputs are scored on a seeded stratified sample, as sklearn's `sample_size` does.
 */
export function silhouetteScores(
  data: Float32Array,
  dimension: number,
  rows: ArrayLike<number>,
  labels: Int32Array,
  options: { sampleSize?: number; seed?: number } = {},
): SilhouetteResult {
  const sampleSize = options.sampleSize ?? 1500;
  const byCluster = new Map<number, number[]>();
  for (let i = 0; i < labels.length; i++) {
    const label = labels[i]!;
    if (label < 0) continue;
    let members = byCluster.get(label);
    if (!members) byCluster.set(label, (members = []));
    members.push(rows[i]!);
  }
  const perCluster = new Map<number, number>();
  if (byCluster.size < 2) return { mean: null, perCluster, sampled: 0 };

  const total = [...byCluster.values()].reduce((sum, members) => sum + members.length, 0);
  const ratio = Math.min(1, sampleSize / total);
  const random = createRandom(options.seed ?? 0);
  const clusterIds = [...byCluster.keys()].sort((a, b) => a - b);
  const sample: number[] = [];
  const sampleLabel: number[] = [];
  for (const label of clusterIds) {
    const members = byCluster.get(label)!;
    const take = Math.min(members.length, Math.max(Math.ceil(members.length * ratio), 10));
    const picked = ratio < 1 ? shuffleInPlace([...members], random).slice(0, take) : members;
    for (const row of picked) {
      sample.push(row);
      sampleLabel.push(label);
    }
  }

  const labelSlot = new Map(clusterIds.map((label, slot) => [label, slot]));
  const slotCount = clusterIds.length;
  const slotSizes = new Float64Array(slotCount);
  for (const label of sampleLabel) slotSizes[labelSlot.get(label)!]!++;
  const sums = new Float64Array(slotCount);
  const clusterTotals = new Float64Array(slotCount);
  let scoreSum = 0;
  for (let i = 0; i < sample.length; i++) {
    sums.fill(0);
    const a = sample[i]! * dimension;
    for (let j = 0; j < sample.length; j++) {
      if (j === i) continue;
      const b = sample[j]! * dimension;
      let dot = 0;
      for (let d = 0; d < dimension; d++) dot += data[a + d]! * data[b + d]!;
      sums[labelSlot.get(sampleLabel[j]!)!]! += 1 - dot;
    }
    const own = labelSlot.get(sampleLabel[i]!)!;
    const ownSize = slotSizes[own]! - 1;
    let score = 0;
    if (ownSize > 0) {
      const within = sums[own]! / ownSize;
      let nearest = Infinity;
      for (let slot = 0; slot < slotCount; slot++) {
        if (slot !== own && slotSizes[slot]! > 0) nearest = Math.min(nearest, sums[slot]! / slotSizes[slot]!);
      }
      const spread = Math.max(within, nearest);
      score = spread > 0 ? (nearest - within) / spread : 0;
    }
    clusterTotals[own]! += score;
    scoreSum += score;
  }
  for (const label of clusterIds) {
    const slot = labelSlot.get(label)!;
    perCluster.set(label, clusterTotals[slot]! / slotSizes[slot]!);
  }
  return { mean: scoreSum / sample.length, perCluster, sampled: sample.length };
}
