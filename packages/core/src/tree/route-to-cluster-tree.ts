import type { ClusterNode } from '../types.js';

/**
 * Centroid routing's noise rule: a chunk goes to the child with the nearest centroid (cosine),
 * unless its similarity to that centroid is below a quantile of the similarities of the child's
 * own fitted members to it; then it is noise at the node. The quantile is the share of the node's
 * fitted chunks that were noise there, and at least this (the 5th percentile).
 */
export const ROUTING_NOISE_QUANTILE = 0.05;

/** How chunks outside the fitted sample go down the tree. */
export interface RoutingSettings {
  /**
   * 'centroid' (default): nearest child centroid, noise by the ROUTING_NOISE_QUANTILE rule.
   * 'neighbors': the majority among the chunk's `neighbors` most similar fitted members of the
   * node, where "noise at this node" is a label like any child (closer to HDBSCAN's own notion of
   * noise; costs one similarity per fitted member per level).
   */
  method?: 'centroid' | 'neighbors';
  /**
   * Centroid routing's quantile, or 'fitted' (default): per node, the share of the node's fitted
   * chunks that the clusterer called noise there, at least ROUTING_NOISE_QUANTILE, so routed chunks
   * become noise about as often as fitted ones did.
   */
  noiseQuantile?: number | 'fitted';
  /** Neighbour routing's k. Default 10. */
  neighbors?: number;
}

/**
 * Routes chunks down a fitted tree: each ends in the deepest node it reaches, as noise where it
 * stops above a leaf. Everything routing compares with comes from the fitted members only, so the
 * result does not depend on the order of `rows`. Updates sizes, noise counts, members (re-sorted),
 * `chunkCluster` and `noise` in place.
 */
export function routeToClusterTree(
  root: ClusterNode,
  members: Map<string, number[]>,
  rows: readonly number[],
  embeddings: Float32Array,
  dimension: number,
  into: { chunkCluster: string[]; noise: number[] },
  settings: RoutingSettings = {},
): void {
  const chooseChild =
    settings.method === 'neighbors'
      ? neighborRouter(root, members, embeddings, dimension, settings.neighbors ?? 10)
      : centroidRouter(root, members, embeddings, dimension, settings.noiseQuantile ?? 'fitted');
  for (const row of rows) {
    let node = root;
    node.size++;
    members.get(node.cluster_id)!.push(row);
    while (node.children.length > 0) {
      const child = chooseChild(node, row);
      if (child === undefined) {
        node.noise_count++;
        into.noise.push(row);
        break;
      }
      node = child;
      node.size++;
      members.get(node.cluster_id)!.push(row);
    }
    into.chunkCluster[row] = node.cluster_id;
  }
  for (const list of members.values()) list.sort((a, b) => a - b);
}

/** The unit-length mean of some rows (a zero vector when they cancel out or there are none). */
export function meanDirection(rows: readonly number[], embeddings: Float32Array, dimension: number): Float32Array {
  const sum = new Float64Array(dimension);
  for (const row of rows) for (let d = 0, offset = row * dimension; d < dimension; d++) sum[d]! += embeddings[offset + d]!;
  const norm = Math.sqrt(sum.reduce((total, value) => total + value * value, 0)) || 1;
  return Float32Array.from(sum, (value) => value / norm);
}

type Router = (node: ClusterNode, row: number) => ClusterNode | undefined;

function centroidRouter(root: ClusterNode, members: Map<string, number[]>, embeddings: Float32Array, dimension: number, setting: number | 'fitted'): Router {
  const guides = new Map<string, { centroid: Float32Array; threshold: number }>();
  const quantileOf = new Map<string, number>();
  for (const parent of [root, ...descendants(root)]) {
    const fittedShare = parent.noise_count / Math.max(1, members.get(parent.cluster_id)?.length ?? 0);
    const quantile = setting === 'fitted' ? Math.max(ROUTING_NOISE_QUANTILE, fittedShare) : setting;
    for (const child of parent.children) quantileOf.set(child.cluster_id, quantile);
  }
  for (const node of descendants(root)) {
    const quantile = quantileOf.get(node.cluster_id)!;
    const fitted = members.get(node.cluster_id) ?? [];
    const centroid = meanDirection(fitted, embeddings, dimension);
    const similarities = fitted.map((row) => dot(embeddings, row * dimension, centroid, 0, dimension)).sort((a, b) => a - b);
    const threshold = similarities.length > 0 ? similarities[Math.floor(Math.min(1, Math.max(0, quantile)) * (similarities.length - 1))]! : Infinity;
    guides.set(node.cluster_id, { centroid, threshold });
  }
  return (node, row) => {
    let best = node.children[0]!;
    let bestSimilarity = -Infinity;
    for (const child of node.children) {
      const similarity = dot(embeddings, row * dimension, guides.get(child.cluster_id)!.centroid, 0, dimension);
      if (similarity > bestSimilarity) [best, bestSimilarity] = [child, similarity];
    }
    return bestSimilarity < guides.get(best.cluster_id)!.threshold ? undefined : best;
  };
}

function neighborRouter(root: ClusterNode, members: Map<string, number[]>, embeddings: Float32Array, dimension: number, k: number): Router {
  // Per split node: its fitted members' vectors side by side, and each one's child (−1: noise here).
  const splits = new Map<string, { vectors: Float32Array; labels: Int32Array }>();
  for (const node of [root, ...descendants(root)]) {
    if (node.children.length === 0) continue;
    const fitted = members.get(node.cluster_id) ?? [];
    const childOf = new Map<number, number>();
    node.children.forEach((child, index) => {
      for (const row of members.get(child.cluster_id) ?? []) childOf.set(row, index);
    });
    const vectors = new Float32Array(fitted.length * dimension);
    fitted.forEach((row, i) => vectors.set(embeddings.subarray(row * dimension, (row + 1) * dimension), i * dimension));
    splits.set(node.cluster_id, { vectors, labels: Int32Array.from(fitted, (row) => childOf.get(row) ?? -1) });
  }
  return (node, row) => {
    const { vectors, labels } = splits.get(node.cluster_id)!;
    const query = embeddings.subarray(row * dimension, (row + 1) * dimension);
    // Top k by similarity, kept sorted (k is small).
    const topSimilarity: number[] = [];
    const topLabel: number[] = [];
    for (let i = 0; i < labels.length; i++) {
      const similarity = dot(vectors, i * dimension, query, 0, dimension);
      if (topSimilarity.length === k && similarity <= topSimilarity[k - 1]!) continue;
      let at = topSimilarity.length;
      while (at > 0 && topSimilarity[at - 1]! < similarity) at--;
      topSimilarity.splice(at, 0, similarity);
      topLabel.splice(at, 0, labels[i]!);
      if (topSimilarity.length > k) {
        topSimilarity.pop();
        topLabel.pop();
      }
    }
    // Majority label; ties go to the label of the nearer neighbour.
    const votes = new Map<number, number>();
    for (const label of topLabel) votes.set(label, (votes.get(label) ?? 0) + 1);
    let winner = topLabel[0] ?? -1;
    for (const label of topLabel) if (votes.get(label)! > votes.get(winner)!) winner = label;
    return winner < 0 ? undefined : node.children[winner];
  };
}

function descendants(root: ClusterNode): ClusterNode[] {
  const nodes: ClusterNode[] = [];
  const stack = [...root.children];
  while (stack.length > 0) {
    const node = stack.pop()!;
    nodes.push(node);
    stack.push(...node.children);
  }
  return nodes;
}

function dot(a: Float32Array, aOffset: number, b: Float32Array, bOffset: number, length: number): number {
  let sum = 0;
  for (let d = 0; d < length; d++) sum += a[aOffset + d]! * b[bOffset + d]!;
  return sum;
}
