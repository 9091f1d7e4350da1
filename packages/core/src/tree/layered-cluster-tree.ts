import { AbortedError, InvalidInputError, PluginError } from '../errors.js';
import { deriveSeed } from '../random.js';
import { leafReasonBeforeSplit } from './leaf-reason-before-split.js';
import { silhouetteScores } from './silhouette.js';
import type { ClustererV1 } from '../specs.js';
import type { ClusterNode, ProgressListener } from '../types.js';
import { wardLinkage, type WardDendrogram } from './ward-linkage.js';

/** Settings of the layered tree (see buildLayeredClusterTree). */
export interface LayeredTreeSettings {
  maxDepth: number;
  basePct: number;
  decay: number;
  silhouetteThreshold: number;
  minSamples: number;
  silhouetteSampleSize: number;
  /** Children per split: a number ≥ 2, or 'auto' = round(n^(1 / (2·maxDepth))) clamped to 2–12. */
  branching: number | 'auto';
  /** Base clusterings (seeds) whose agreement makes the fragments. Default 3. */
  consensusRuns: number;
  /** min_cluster_size of the fine base clustering; 'auto' = max(5, ⌊n / 2000⌋). */
  baseMinClusterSize: number | 'auto';
  /** Where Ward compares fragments: 'reduced' (default: the clusterer's UMAP output, all consensus runs side by side) or 'embeddings' (unit mean directions; on WordNet it leaves catch-all children, see docs/benchmarks.md). */
  agglomerationSpace?: 'embeddings' | 'reduced';
}

/** What buildLayeredClusterTree returns (the recursion's result plus per-chunk outlier data). */
export interface LayeredTreeResult {
  tree: ClusterNode;
  /** Deepest node of every chunk (always a leaf). */
  chunkCluster: string[];
  /** Chunks the base clustering called noise (in most consensus runs), sorted. */
  outliers: number[];
  /** GLOSH outlier score per chunk (mean over runs; 0 when the clusterer gives none); null for routed chunks. */
  outlierScores: Array<number | null>;
  members: Map<string, number[]>;
}

/** Children per split for n chunks when branching is 'auto'. */
export function layeredBranching(n: number, maxDepth: number, branching: number | 'auto'): number {
  if (branching !== 'auto') return branching;
  return Math.min(12, Math.max(2, Math.round(n ** (1 / (2 * Math.max(1, maxDepth))))));
}

/** min_cluster_size of the base clustering for n chunks. */
export function baseMinClusterSizeFor(n: number, setting: number | 'auto'): number {
  return setting === 'auto' ? Math.max(5, Math.floor(n / 2000)) : setting;
}

/**
 * The layered tree: ONE fine clustering of all fitted chunks by the clusterer (UMAP + HDBSCAN with
 * a small min_cluster_size) gives fragments and each chunk's outlier flag and GLOSH score; noise
 * chunks join the fragment whose centroid is nearest (cosine), keeping their flag. With
 * consensusRuns > 1 the base clustering is repeated with other seeds and fragments are the chunks
 * that every run puts together. Ward's agglomeration of the fragments' centroids (original
 * embeddings, weighted by size) gives one dendrogram; each node is split into up to `branching`
 * children by undoing its highest merges, never making a child smaller than minClusterSizeFor(n,
 * depth). Levels nest by construction; every chunk ends in a leaf. `routed` chunks (outside a
 * fitted sample) join their nearest fragment.
 */
export async function buildLayeredClusterTree(
  embeddings: Float32Array,
  dimension: number,
  clusterer: ClustererV1,
  fitted: number[],
  routed: number[],
  options: { settings: LayeredTreeSettings; seed: number; onProgress?: ProgressListener; abortSignal?: AbortSignal; newNode: (id: string, depth: number, rows: number[], silhouette: number | null) => ClusterNode },
): Promise<LayeredTreeResult> {
  const { settings, seed } = options;
  if (!Number.isInteger(settings.consensusRuns) || settings.consensusRuns < 1) throw new InvalidInputError(`consensusRuns must be an integer ≥ 1, got ${String(settings.consensusRuns)}`);
  const count = embeddings.length / dimension;
  const n = fitted.length;
  const runs = settings.consensusRuns;
  const baseSize = baseMinClusterSizeFor(n, settings.baseMinClusterSize);
  if (!Number.isInteger(baseSize) || baseSize < 2) throw new InvalidInputError(`baseMinClusterSize must be an integer ≥ 2 or 'auto', got ${String(settings.baseMinClusterSize)}`);
  const vectors = fitted.map((row) => embeddings.subarray(row * dimension, (row + 1) * dimension));
  const noiseVotes = new Int32Array(n);
  const scoreSum = new Float64Array(n);
  const keys: string[] = new Array(n).fill('');
  const reducedRuns: Float32Array[][] = [];
  for (let run = 0; run < runs; run++) {
    if (options.abortSignal?.aborted) throw new AbortedError('clustering was cancelled');
    const message = `base clustering${runs > 1 ? ` ${run + 1}/${runs}` : ''} of ${n} chunks (min cluster size ${baseSize})`;
    options.onProgress?.({ stage: 'cluster', done: run, total: runs, message });
    const result = await clusterer.doCluster({
      vectors,
      depth: 0,
      seed: deriveSeed(seed, run === 0 ? '0' : `consensus:${run}`),
      minClusterSize: baseSize,
      minSamples: Math.min(settings.minSamples, Math.max(1, n - 1)),
      abortSignal: options.abortSignal,
      onProgress: (event) =>
        options.onProgress?.({ stage: 'cluster', done: run, total: runs, message: `${message}: ${event.stage}${event.total ? ` ${event.done}/${event.total}` : ''}${event.message ? ` ${event.message}` : ''}` }),
    });
    if (result.labels.length !== n) throw new PluginError(clusterer.id, `returned ${result.labels.length} labels for ${n} vectors`);
    const labels = Int32Array.from(result.labels);
    if (result.reduced && result.reduced.length === n) reducedRuns.push(result.reduced);
    for (let i = 0; i < n; i++) {
      if (labels[i]! < 0) noiseVotes[i] = noiseVotes[i]! + 1;
      scoreSum[i] = scoreSum[i]! + (result.outlierScores?.[i] ?? 0);
    }
    assignNoiseToNearest(labels, fitted, embeddings, dimension);
    for (let i = 0; i < n; i++) keys[i] += `${labels[i]},`;
  }
  // Fragments: chunks with the same label in every run, numbered by first appearance.
  const fragmentOf = new Int32Array(n);
  const fragmentIds = new Map<string, number>();
  keys.forEach((key, i) => {
    let id = fragmentIds.get(key);
    if (id === undefined) fragmentIds.set(key, (id = fragmentIds.size));
    fragmentOf[i] = id;
  });
  const fragmentRows: number[][] = Array.from({ length: fragmentIds.size }, () => []);
  fitted.forEach((row, i) => fragmentRows[fragmentOf[i]!]!.push(row));
  // Routed chunks join the fragment with the nearest centroid.
  if (routed.length > 0) {
    const centroids = unitCentroids(fragmentRows, embeddings, dimension);
    for (const row of routed) fragmentRows[nearestCentroid(embeddings, row, dimension, centroids, fragmentRows.length)]!.push(row);
  }
  if (options.abortSignal?.aborted) throw new AbortedError('clustering was cancelled');
  options.onProgress?.({ stage: 'cluster', done: runs, total: runs, message: `Ward agglomeration of ${fragmentRows.length} fragments` });
  // Ward works in the clusterer's reduced space (all runs side by side) when it gives one, else on the embeddings.
  const useEmbeddings = (settings.agglomerationSpace ?? 'reduced') === 'embeddings';
  const space = wardSpace(useEmbeddings ? [] : reducedRuns, fitted, embeddings, dimension);
  const fragmentsFitted: number[][] = Array.from({ length: fragmentRows.length }, () => []);
  fragmentOf.forEach((f, i) => fragmentsFitted[f]!.push(i));
  const means = new Float64Array(fragmentRows.length * space.dimension);
  fragmentsFitted.forEach((indices, f) => {
    for (const i of indices) for (let k = 0; k < space.dimension; k++) means[f * space.dimension + k] = means[f * space.dimension + k]! + space.vectors[i * space.dimension + k]!;
    // in embedding space a fragment stands for its mean direction (means of many chunks shrink toward the origin)
    let norm = 0;
    for (let k = 0; k < space.dimension; k++) norm += means[f * space.dimension + k]! ** 2;
    const scale = useEmbeddings ? 1 / (Math.sqrt(norm) || 1) : 1 / Math.max(1, indices.length);
    for (let k = 0; k < space.dimension; k++) means[f * space.dimension + k] = means[f * space.dimension + k]! * scale;
  });
  const dendrogram = wardLinkage(means, fragmentRows.map((rows) => rows.length), space.dimension);

  const dendrogramMeans = nodeMeans(dendrogram, means, space.dimension);
  const rowsUnder = (piece: Piece): number[] => {
    const out: number[] = [];
    const stack = [piece.main, ...piece.attached];
    while (stack.length > 0) {
      const node = stack.pop()!;
      if (node < dendrogram.leaves) out.push(...fragmentRows[node]!);
      else stack.push(dendrogram.merges[node - dendrogram.leaves]!.left, dendrogram.merges[node - dendrogram.leaves]!.right);
    }
    return out.sort((a, b) => a - b);
  };
  const total = n + routed.length;
  const branching = layeredBranching(total, settings.maxDepth, settings.branching);
  const chunkCluster: string[] = new Array(count).fill('0');
  const members = new Map<string, number[]>();
  const rootId = dendrogram.leaves + dendrogram.merges.length - 1;
  const allRows = [...fitted, ...routed].sort((a, b) => a - b);
  const root = options.newNode('0', 0, allRows, null);
  members.set('0', allRows);
  const queue: Array<{ node: ClusterNode; piece: Piece; rows: number[] }> = [{ node: root, piece: { main: rootId, attached: [] }, rows: allRows }];
  while (queue.length > 0) {
    const { node, piece: nodePiece, rows } = queue.shift()!;
    const minSize = minSizeFor(rows.length, node.depth, settings);
    const stop = leafReasonBeforeSplit(node, rows.length, minSize, settings);
    if (stop) {
      node.leaf_reason = stop;
      continue;
    }
    const pieces = splitPiece(dendrogram, dendrogramMeans, space.dimension, nodePiece, branching, minSize);
    if (pieces.length < 2) {
      node.leaf_reason = 'no-clusters';
      continue;
    }
    const pieceRows = pieces.map((piece) => ({ piece, rows: rowsUnder(piece) })).sort((a, b) => b.rows.length - a.rows.length || a.piece.main - b.piece.main);
    const labelOf = new Map<number, number>();
    pieceRows.forEach(({ rows: childRows }, label) => childRows.forEach((row) => labelOf.set(row, label)));
    const labels = Int32Array.from(rows, (row) => labelOf.get(row)!);
    const silhouette = silhouetteScores(embeddings, dimension, rows, labels, { sampleSize: settings.silhouetteSampleSize, seed: deriveSeed(seed, `silhouette:${node.cluster_id}`) });
    node.split_silhouette = silhouette.mean;
    pieceRows.forEach(({ piece, rows: childRows }, position) => {
      const child = options.newNode(`${node.cluster_id}.${position}`, node.depth + 1, childRows, silhouette.perCluster.get(position) ?? null);
      node.children.push(child);
      members.set(child.cluster_id, childRows);
      for (const row of childRows) chunkCluster[row] = child.cluster_id;
      queue.push({ node: child, piece, rows: childRows });
    });
  }
  const outliers: number[] = [];
  const outlierScores: Array<number | null> = new Array(count).fill(null);
  fitted.forEach((row, i) => {
    if (noiseVotes[i]! * 2 > runs) outliers.push(row);
    outlierScores[row] = Math.round((scoreSum[i]! / runs) * 1e4) / 1e4;
  });
  outliers.sort((a, b) => a - b);
  const isOutlier = new Uint8Array(count);
  for (const row of outliers) isOutlier[row] = 1;
  const countOutliers = (node: ClusterNode): void => {
    node.outlier_count = members.get(node.cluster_id)!.reduce((sum, row) => sum + isOutlier[row]!, 0);
    node.children.forEach(countOutliers);
  };
  countOutliers(root);
  return { tree: root, chunkCluster, outliers, outlierScores, members };
}

function minSizeFor(n: number, depth: number, settings: Pick<LayeredTreeSettings, 'basePct' | 'decay'>): number {
  const floor = Math.max(10, 50 / 2 ** depth);
  return Math.max(Math.ceil(floor), Math.floor(n * settings.basePct * settings.decay ** depth));
}

/** A split where one child holds more than this share of its parent reads as a catch-all; such a child is split further. */
export const CATCH_ALL_SHARE = 0.6;

/** A part of the dendrogram: a main node plus small branches that were peeled off above it. */
interface Piece {
  main: number;
  attached: number[];
}

/**
 * Splits a piece (its main node and the small branches attached to it, re-examined at this node's
 * minimum size) into up to `branching` parts: the highest merges are undone first, and every
 * branch of at least minSize chunks becomes a part; smaller branches follow the part whose centroid
 * is nearest. Then, while one part holds more than CATCH_ALL_SHARE of the piece, that part is split
 * too (up to 2·branching parts).
 */
function splitPiece(dendrogram: WardDendrogram, means: Float64Array, dimension: number, start: Piece, branching: number, minSize: number): Piece[] {
  const { leaves, merges, sizes } = dendrogram;
  const height = (node: number) => (node < leaves ? -Infinity : merges[node - leaves]!.height);
  const isBig = (node: number) => sizes[node]! >= minSize;
  // a big node can be refined when at least one of its sides is big too
  const refinable = (node: number) => node >= leaves && (isBig(merges[node - leaves]!.left) || isBig(merges[node - leaves]!.right));
  let forest = [start.main, ...start.attached];
  for (;;) {
    const bigs = forest.filter(isBig);
    if (bigs.length >= branching) break;
    let best = -1;
    for (const node of bigs) if (refinable(node) && (best < 0 || height(node) > height(best))) best = node;
    if (best < 0) break;
    const { left, right } = merges[best - leaves]!;
    forest = forest.flatMap((node) => (node === best ? [left, right] : [node]));
  }
  const pieces: Piece[] = forest.filter(isBig).map((main) => ({ main, attached: [] }));
  if (pieces.length === 0) return [start];
  const nearest = (node: number, candidates: Piece[]) =>
    candidates.reduce((a, b) => (squaredDistance(means, dimension, node, b.main) < squaredDistance(means, dimension, node, a.main) ? b : a));
  for (const node of forest) if (!isBig(node)) nearest(node, pieces).attached.push(node);
  const sizeOf = (piece: Piece) => piece.attached.reduce((sum, node) => sum + sizes[node]!, sizes[piece.main]!);
  const total = sizeOf(start);
  // catch-all guard
  while (pieces.length < 2 * branching) {
    const largest = pieces.reduce((a, b) => (sizeOf(b) > sizeOf(a) ? b : a));
    if (sizeOf(largest) <= CATCH_ALL_SHARE * total || !refinable(largest.main)) break;
    const { left, right } = merges[largest.main - leaves]!;
    if (isBig(left) && isBig(right)) {
      const parts: Piece[] = [{ main: left, attached: [] }, { main: right, attached: [] }];
      for (const node of largest.attached) nearest(node, parts).attached.push(node);
      pieces.splice(pieces.indexOf(largest), 1, ...parts);
    } else {
      // peel the small side off and look further down
      const [small, big] = isBig(left) ? [right, left] : [left, right];
      largest.main = big;
      largest.attached.push(small);
    }
  }
  return pieces;
}

function squaredDistance(means: Float64Array, dimension: number, a: number, b: number): number {
  let sum = 0;
  for (let k = 0; k < dimension; k++) {
    const diff = means[a * dimension + k]! - means[b * dimension + k]!;
    sum += diff * diff;
  }
  return sum;
}

// The fitted chunks' coordinates for Ward: the runs' reduced vectors side by side, or the embeddings.
function wardSpace(reducedRuns: Float32Array[][], fitted: number[], embeddings: Float32Array, dimension: number): { vectors: Float64Array; dimension: number } {
  const n = fitted.length;
  if (reducedRuns.length === 0) {
    const vectors = new Float64Array(n * dimension);
    fitted.forEach((row, i) => vectors.set(embeddings.subarray(row * dimension, (row + 1) * dimension), i * dimension));
    return { vectors, dimension };
  }
  const widths = reducedRuns.map((run) => run[0]?.length ?? 0);
  const total = widths.reduce((a, b) => a + b, 0);
  const vectors = new Float64Array(n * total);
  for (let i = 0; i < n; i++) {
    let offset = i * total;
    reducedRuns.forEach((run, r) => {
      vectors.set(run[i]!, offset);
      offset += widths[r]!;
    });
  }
  return { vectors, dimension: total };
}

// Mean of every dendrogram node (leaves first, then merges), weighted by size.
function nodeMeans(dendrogram: WardDendrogram, fragmentMeans: Float64Array, dimension: number): Float64Array {
  const { leaves, merges, sizes } = dendrogram;
  const means = new Float64Array((leaves + merges.length) * dimension);
  means.set(fragmentMeans.subarray(0, leaves * dimension));
  merges.forEach(({ left, right }, i) => {
    const node = leaves + i;
    const wl = sizes[left]!;
    const wr = sizes[right]!;
    for (let k = 0; k < dimension; k++) means[node * dimension + k] = (means[left * dimension + k]! * wl + means[right * dimension + k]! * wr) / Math.max(1, wl + wr);
  });
  return means;
}

// Noise (label −1) takes the label of the cluster whose centroid is nearest (cosine).
function assignNoiseToNearest(labels: Int32Array, rows: number[], embeddings: Float32Array, dimension: number): void {
  let clusters = 0;
  for (const label of labels) clusters = Math.max(clusters, label + 1);
  if (clusters === 0) return void labels.fill(0);
  const byLabel: number[][] = Array.from({ length: clusters }, () => []);
  labels.forEach((label, i) => label >= 0 && byLabel[label]!.push(rows[i]!));
  const centroids = unitCentroids(byLabel, embeddings, dimension);
  labels.forEach((label, i) => {
    if (label < 0) labels[i] = nearestCentroid(embeddings, rows[i]!, dimension, centroids, clusters);
  });
}

function unitCentroids(groups: number[][], embeddings: Float32Array, dimension: number): Float32Array {
  const centroids = new Float32Array(groups.length * dimension);
  groups.forEach((rows, g) => {
    const sum = new Float64Array(dimension);
    for (const row of rows) for (let k = 0; k < dimension; k++) sum[k] = sum[k]! + embeddings[row * dimension + k]!;
    const norm = Math.hypot(...sum) || 1;
    for (let k = 0; k < dimension; k++) centroids[g * dimension + k] = sum[k]! / norm;
  });
  return centroids;
}

function nearestCentroid(embeddings: Float32Array, row: number, dimension: number, centroids: Float32Array, count: number): number {
  let best = 0;
  let bestSimilarity = -Infinity;
  const offset = row * dimension;
  for (let c = 0; c < count; c++) {
    let similarity = 0;
    for (let k = 0; k < dimension; k++) similarity += embeddings[offset + k]! * centroids[c * dimension + k]!;
    if (similarity > bestSimilarity) {
      bestSimilarity = similarity;
      best = c;
    }
  }
  return best;
}
