import type { FuzzyGraph } from './fuzzy-simplicial-set.js';
import type { Random } from './random.js';

/** Settings of {@link optimizeLayout}; defaults are umap-learn's. */
export interface LayoutOptions {
  a: number;
  b: number;
  epochs: number;
  negativeSampleRate?: number;
  repulsionStrength?: number;
  learningRate?: number;
  /** Called after each epoch with the number of epochs done. */
  onEpoch?: (epoch: number) => void;
}

/**
 * UMAP's stochastic gradient descent (umap-learn's optimize_layout_euclidean, move_other = true):
 * each edge is sampled in proportion to its weight, pulled together with the attractive gradient,
 * and pushed away from `negativeSampleRate` random points; gradients are clipped to ±4 and the
 * learning rate decays linearly. `embedding` (n × dim, row-major) is updated in place.
 */
export function optimizeLayout(embedding: Float64Array, dim: number, graph: FuzzyGraph, random: Random, options: LayoutOptions): void {
  const { a, b, epochs } = options;
  const negativeRate = options.negativeSampleRate ?? 5;
  const gamma = options.repulsionStrength ?? 1;
  const initialAlpha = options.learningRate ?? 1;
  const { n, head, tail, weight } = graph;
  const edges = head.length;
  let maxWeight = 0;
  for (let e = 0; e < edges; e++) if ((weight[e] as number) > maxWeight) maxWeight = weight[e] as number;
  // make_epochs_per_sample, after dropping edges too weak to be sampled even once
  const epochsPerSample = new Float64Array(edges).fill(-1);
  for (let e = 0; e < edges; e++) {
    const samples = (epochs * (weight[e] as number)) / maxWeight;
    if ((weight[e] as number) >= maxWeight / epochs && samples > 0) epochsPerSample[e] = epochs / samples;
  }
  const epochsPerNegative = new Float64Array(edges);
  const nextNegative = new Float64Array(edges);
  const nextSample = new Float64Array(edges);
  for (let e = 0; e < edges; e++) {
    epochsPerNegative[e] = (epochsPerSample[e] as number) / negativeRate;
    nextNegative[e] = epochsPerNegative[e] as number;
    nextSample[e] = epochsPerSample[e] as number;
  }
  const twoAB = 2 * a * b;
  const twoGammaB = 2 * gamma * b;
  const diff = new Float64Array(dim);
  // a local xorshift stream (seeded from `random`) keeps the hot loop free of closure calls
  let state = (random.int(0x7fffffff) | 1) >>> 0;
  for (let epoch = 0; epoch < epochs; epoch++) {
    const alpha = initialAlpha * (1 - epoch / epochs);
    for (let e = 0; e < edges; e++) {
      const period = epochsPerSample[e] as number;
      if (period <= 0 || (nextSample[e] as number) > epoch) continue;
      const jOffset = (head[e] as number) * dim;
      const kOffset = (tail[e] as number) * dim;
      const distSquared = differences(embedding, jOffset, kOffset, diff, dim);
      if (distSquared > 0) {
        const powered = Math.pow(distSquared, b - 1);
        const coefficient = (-twoAB * powered) / (a * powered * distSquared + 1);
        attract(embedding, jOffset, kOffset, diff, dim, coefficient, alpha);
      }
      nextSample[e] = (nextSample[e] as number) + period;
      const negatives = Math.floor((epoch - (nextNegative[e] as number)) / (epochsPerNegative[e] as number));
      for (let p = 0; p < negatives; p++) {
        state ^= state << 13;
        state ^= state >>> 17;
        state ^= state << 5;
        state >>>= 0;
        const other = state % n;
        const otherOffset = other * dim;
        if (otherOffset === jOffset) continue;
        const d2 = differences(embedding, jOffset, otherOffset, diff, dim);
        if (d2 <= 0) continue;
        const coefficient = twoGammaB / ((0.001 + d2) * (a * Math.pow(d2, b) + 1));
        repel(embedding, jOffset, diff, dim, coefficient, alpha);
      }
      nextNegative[e] = (nextNegative[e] as number) + Math.max(0, negatives) * (epochsPerNegative[e] as number);
    }
    options.onEpoch?.(epoch + 1);
  }
}

/** Writes row j − row k into `diff` and returns its squared length. */
function differences(embedding: Float64Array, jOffset: number, kOffset: number, diff: Float64Array, dim: number): number {
  let sum = 0;
  for (let t = 0; t < dim; t++) {
    const value = (embedding[jOffset + t] as number) - (embedding[kOffset + t] as number);
    diff[t] = value;
    sum += value * value;
  }
  return sum;
}

/** Moves rows j and k towards each other by the clipped gradient. */
function attract(embedding: Float64Array, jOffset: number, kOffset: number, diff: Float64Array, dim: number, coefficient: number, alpha: number): void {
  for (let t = 0; t < dim; t++) {
    let g = coefficient * (diff[t] as number);
    g = (g > 4 ? 4 : g < -4 ? -4 : g) * alpha;
    embedding[jOffset + t] = (embedding[jOffset + t] as number) + g;
    embedding[kOffset + t] = (embedding[kOffset + t] as number) - g;
  }
}

/** Moves row j away from a negative sample by the clipped gradient. */
function repel(embedding: Float64Array, jOffset: number, diff: Float64Array, dim: number, coefficient: number, alpha: number): void {
  for (let t = 0; t < dim; t++) {
    let g = coefficient * (diff[t] as number);
    g = (g > 4 ? 4 : g < -4 ? -4 : g) * alpha;
    embedding[jOffset + t] = (embedding[jOffset + t] as number) + g;
  }
}
