import { leafReasonBeforeSplit } from './leaf-reason-before-split.js';
import { checkSpecification } from '../check-specification.js';
import type { ChunkAssignment } from '../index-format/corpus-index.js';
import { AbortedError, InvalidInputError, PluginError } from '../errors.js';
import { buildLayeredClusterTree } from './layered-cluster-tree.js';
import { createRandom, deriveSeed } from '../random.js';
import { meanDirection, routeToClusterTree, type RoutingSettings } from './route-to-cluster-tree.js';
import { silhouetteScores } from './silhouette.js';
import type { ClustererV1 } from '../specs.js';
import type { ClusterNode, ProgressListener } from '../types.js';

/** Settings of the recursive clustering (seed 004 defaults). */
export interface ClusterTreeSettings {
  /** Deepest node depth; the root is depth 0. Default 3. */
  maxDepth: number;
  /** min_cluster_size = max(floor, n · basePct · decay^depth). Default 0.05. */
  basePct: number;
  /** Default 0.7. */
  decay: number;
  /** A child is split further only when its silhouette is below this. Default 0.3. */
  silhouetteThreshold: number;
  /** HDBSCAN min_samples, kept constant across depths. Default 10. */
  minSamples: number;
  /** Points scored per silhouette (a stratified sample). Default 1500. */
  silhouetteSampleSize: number;
  /**
   * A number N: with more chunks than N, the tree is fitted on a seeded sample of N chunks and every
   * other chunk is routed down it (see routeToClusterTree and `routing`). 'all': fit on every chunk.
   * 'auto' (default): every chunk up to AUTO_FIT_SAMPLE, a sample of AUTO_FIT_SAMPLE above it.
   */
  fitSample?: number | 'all' | 'auto';
  /** How chunks outside the fitted sample are routed down the tree (only with fitSample; recursive tree). */
  routing?: RoutingSettings;
  /**
   * 'layers' (default): one fine base clustering of the whole corpus, agglomerated by Ward into one
   * dendrogram whose nodes are split into `branching` children (see buildLayeredClusterTree).
   * 'recursive': the seed-004 rules (cluster each node again with UMAP + HDBSCAN).
   */
  tree?: 'layers' | 'recursive';
  /** Layered tree: children per split, or 'auto' (round(n^(1/(2·maxDepth))), 2–12). */
  branching?: number | 'auto';
  /** Layered tree: base clusterings (seeds) that must agree to keep chunks together. Default 3. */
  consensusRuns?: number;
  /** Layered tree: min_cluster_size of the base clustering, or 'auto' (max(5, ⌊n/2000⌋)). */
  baseMinClusterSize?: number | 'auto';
}

/** The tree shapes buildClusterTree knows. */
export const CLUSTER_TREE_KINDS = ['layers', 'recursive'] as const;

/** Checks the layered-tree settings; the error names the setting and what it accepts. */
export function checkClusterTreeSettings(settings: Partial<ClusterTreeSettings>): void {
  if (settings.tree !== undefined && !CLUSTER_TREE_KINDS.includes(settings.tree)) throw new InvalidInputError(`tree must be 'layers' or 'recursive', got ${JSON.stringify(settings.tree)}`);
  const b = settings.branching;
  if (b !== undefined && b !== 'auto' && !(Number.isInteger(b) && b >= 2)) throw new InvalidInputError(`branching must be an integer ≥ 2 or 'auto', got ${JSON.stringify(b)}`);
  const c = settings.consensusRuns;
  if (c !== undefined && !(Number.isInteger(c) && c >= 1)) throw new InvalidInputError(`consensusRuns must be an integer ≥ 1, got ${JSON.stringify(c)}`);
  const m = settings.baseMinClusterSize;
  if (m !== undefined && m !== 'auto' && !(Number.isInteger(m) && m >= 2)) throw new InvalidInputError(`baseMinClusterSize must be an integer ≥ 2 or 'auto', got ${JSON.stringify(m)}`);
}

/**
 * The sample 'auto' fits on above this many chunks: UMAP + HDBSCAN of 200,000 chunks take minutes
 * on a CPU; millions would take hours and tens of GB.
 */
export const AUTO_FIT_SAMPLE = 200_000;

/** How many chunks the tree is fitted on for a fitSample setting, or undefined for all of them. */
export function resolveFitSample(fitSample: ClusterTreeSettings['fitSample'], count: number): number | undefined {
  if (fitSample === undefined || fitSample === 'auto') return count > AUTO_FIT_SAMPLE ? AUTO_FIT_SAMPLE : undefined;
  if (fitSample === 'all') return undefined;
  if (!Number.isInteger(fitSample) || fitSample < 2) throw new InvalidInputError(`fitSample must be an integer ≥ 2, 'all' or 'auto', got ${String(fitSample)}`);
  return count > fitSample ? fitSample : undefined;
}

/** The seed-004 defaults of the recursive clustering. */
export const defaultClusterTreeSettings: ClusterTreeSettings = {
  maxDepth: 3,
  basePct: 0.05,
  decay: 0.7,
  silhouetteThreshold: 0.3,
  minSamples: 10,
  silhouetteSampleSize: 1500,
  fitSample: 'auto',
  tree: 'layers',
  branching: 'auto',
  consensusRuns: 3,
  baseMinClusterSize: 'auto',
};

/** min_cluster_size for a node of n points at a depth: max(floor, n·basePct·decay^depth), floor = max(10, 50/2^depth). */
export function minClusterSizeFor(n: number, depth: number, settings: Pick<ClusterTreeSettings, 'basePct' | 'decay'>): number {
  const floor = Math.max(10, 50 / 2 ** depth);
  return Math.max(Math.ceil(floor), Math.floor(n * settings.basePct * settings.decay ** depth));
}

/** What buildClusterTree returns: the tree, one centroid per node (breadth-first rows) and each chunk's deepest cluster. */
export interface ClusterTreeResult {
  tree: ClusterNode;
  centroids: Float32Array;
  assignment: ChunkAssignment;
  /** Chunk indices under every node, descendants and noise included. */
  members: Map<string, number[]>;
  /** How many chunks the tree was fitted on (all of them unless fitSample sampled); the rest were routed. */
  fittedChunks: number;
}

/**
 * Recursive clustering: split the root with the clusterer, then split again each child whose
 * silhouette is below the threshold, until maxDepth. Noise stays with its node and is never split.
 * With settings.fitSample below the chunk count (by default above AUTO_FIT_SAMPLE chunks), the tree is
 * fitted on a seeded sample (min cluster sizes follow the sample's size) and the other chunks are
 * routed down it; sizes, noise counts, members and centroids then include the routed chunks,
 * silhouettes are the sample's.
 */
export async function buildClusterTree(
  embeddings: Float32Array,
  dimension: number,
  clusterer: ClustererV1,
  options: { settings?: Partial<ClusterTreeSettings>; seed?: number; onProgress?: ProgressListener; abortSignal?: AbortSignal; rootName?: string },
): Promise<ClusterTreeResult> {
  checkSpecification('clusterer', clusterer);
  const settings = { ...defaultClusterTreeSettings, ...options.settings };
  const seed = options.seed ?? 42;
  const count = embeddings.length / dimension;
  const chunkCluster: string[] = new Array(count).fill('0');
  const noise: number[] = [];
  const members = new Map<string, number[]>();
  const sampleSize = resolveFitSample(settings.fitSample, count);
  const { fitted, routed } = splitFitSample(count, sampleSize, seed);
  if (sampleSize !== undefined) {
    const why = settings.fitSample === undefined || settings.fitSample === 'auto' ? ` (fitSample 'auto' above ${AUTO_FIT_SAMPLE.toLocaleString('en-US')} chunks; 'all' fits every chunk)` : '';
    options.onProgress?.({ stage: 'cluster', done: 0, message: `fitting the tree on a seeded sample of ${fitted.length} of ${count} chunks${why}` });
  }
  checkClusterTreeSettings(settings);
  if (settings.tree === 'layers') {
    const layered = await buildLayeredClusterTree(embeddings, dimension, clusterer, fitted, routed, {
      settings: { ...settings, branching: settings.branching ?? 'auto', consensusRuns: settings.consensusRuns ?? 3, baseMinClusterSize: settings.baseMinClusterSize ?? 'auto' },
      seed,
      onProgress: options.onProgress,
      abortSignal: options.abortSignal,
      newNode,
    });
    layered.tree.name = options.rootName ?? 'All corpus';
    options.onProgress?.({ stage: 'cluster', done: 1, total: 1, message: 'tree complete' });
    const centroids = computeCentroids(layered.tree, layered.members, embeddings, dimension);
    return {
      tree: layered.tree,
      centroids,
      assignment: { clusters: layered.chunkCluster, noise: layered.outliers, outlier_scores: layered.outlierScores },
      members: layered.members,
      fittedChunks: fitted.length,
    };
  }
  const root = newNode('0', 0, fitted, null);
  root.name = options.rootName ?? 'All corpus';
  members.set('0', fitted);

  // Breadth-first work list so progress reads level by level.
  const queue: Array<{ node: ClusterNode; rows: number[] }> = [{ node: root, rows: members.get('0')! }];
  let processed = 0;
  while (queue.length > 0) {
    if (options.abortSignal?.aborted) throw new AbortedError('clustering was cancelled');
    const { node, rows } = queue.shift()!;
    options.onProgress?.({ stage: 'cluster', done: processed, message: `splitting ${node.cluster_id} (${rows.length} chunks)` });
    processed++;
    const minClusterSize = minClusterSizeFor(rows.length, node.depth, settings);
    const stop = leafReasonBeforeSplit(node, rows.length, minClusterSize, settings);
    if (stop) {
      node.leaf_reason = stop;
      continue;
    }
    const vectors = rows.map((row) => embeddings.subarray(row * dimension, (row + 1) * dimension));
    const { labels } = await clusterer.doCluster({
      vectors,
      depth: node.depth,
      seed: deriveSeed(seed, node.cluster_id),
      minClusterSize,
      minSamples: Math.min(settings.minSamples, rows.length - 1),
      abortSignal: options.abortSignal,
      // The clusterer's own steps (kNN, UMAP epochs, HDBSCAN) show up as cluster progress for this node.
      onProgress: (event) =>
        options.onProgress?.({
          stage: 'cluster',
          done: processed,
          message: `${node.cluster_id} (${rows.length} chunks): ${event.stage}${event.total ? ` ${event.done}/${event.total}` : ''}${event.message ? ` ${event.message}` : ''}`,
        }),
    });
    if (labels.length !== rows.length) {
      throw new PluginError(clusterer.id, `returned ${labels.length} labels for ${rows.length} vectors at cluster ${node.cluster_id}`);
    }
    const groups = groupByLabel(labels, rows);
    if (groups.clusters.length < 2) {
      node.leaf_reason = 'no-clusters';
      continue;
    }
    const silhouette = silhouetteScores(embeddings, dimension, rows, labels, {
      sampleSize: settings.silhouetteSampleSize,
      seed: deriveSeed(seed, `silhouette:${node.cluster_id}`),
    });
    node.split_silhouette = silhouette.mean;
    node.noise_count = groups.noise.length;
    for (const row of groups.noise) noise.push(row);
    groups.clusters.forEach(({ label, rows: childRows }, position) => {
      const child = newNode(`${node.cluster_id}.${position}`, node.depth + 1, childRows, silhouette.perCluster.get(label) ?? null);
      node.children.push(child);
      members.set(child.cluster_id, childRows);
      for (const row of childRows) chunkCluster[row] = child.cluster_id;
      queue.push({ node: child, rows: childRows });
    });
  }
  options.onProgress?.({ stage: 'cluster', done: processed, total: processed, message: 'tree complete' });
  if (routed.length > 0) {
    options.onProgress?.({ stage: 'cluster', done: processed, total: processed, message: `routing ${routed.length} chunks outside the fitted sample of ${fitted.length}` });
    routeToClusterTree(root, members, routed, embeddings, dimension, { chunkCluster, noise }, settings.routing);
  }

  const centroids = computeCentroids(root, members, embeddings, dimension);
  noise.sort((a, b) => a - b);
  return { tree: root, centroids, assignment: { clusters: chunkCluster, noise }, members, fittedChunks: count - routed.length };
}

/** Visits every node breadth-first (the order of centroids.npy rows). */
export function walkBreadthFirst(root: ClusterNode, visit: (node: ClusterNode) => void): void {
  const queue = [root];
  while (queue.length > 0) {
    const node = queue.shift()!;
    visit(node);
    queue.push(...node.children);
  }
}

// All rows, or a seeded sample of `fitSample` rows to fit on (sorted) and the rest to route.
function splitFitSample(count: number, fitSample: number | undefined, seed: number): { fitted: number[]; routed: number[] } {
  const all = Array.from({ length: count }, (_, i) => i);
  if (fitSample === undefined || !(count > fitSample)) return { fitted: all, routed: [] };
  const size = Math.max(1, Math.floor(fitSample));
  const random = createRandom(deriveSeed(seed, 'fit-sample'));
  for (let i = 0; i < size; i++) {
    const j = i + Math.floor(random() * (count - i));
    [all[i], all[j]] = [all[j]!, all[i]!];
  }
  return { fitted: all.slice(0, size).sort((a, b) => a - b), routed: all.slice(size).sort((a, b) => a - b) };
}

function newNode(clusterId: string, depth: number, rows: number[], silhouette: number | null): ClusterNode {
  return {
    cluster_id: clusterId,
    name: '',
    depth,
    size: rows.length,
    silhouette,
    split_silhouette: null,
    noise_count: 0,
    samples: [],
    centroid_row: -1,
    children: [],
  };
}

// Clusters ordered by size (largest first), ties by label, so ids are stable for a given labelling.
function groupByLabel(labels: Int32Array, rows: number[]) {
  const byLabel = new Map<number, number[]>();
  const noiseRows: number[] = [];
  labels.forEach((label, i) => {
    if (label < 0) return void noiseRows.push(rows[i]!);
    let list = byLabel.get(label);
    if (!list) byLabel.set(label, (list = []));
    list.push(rows[i]!);
  });
  const clusters = [...byLabel.entries()]
    .map(([label, clusterRows]) => ({ label, rows: clusterRows }))
    .sort((a, b) => b.rows.length - a.rows.length || a.label - b.label);
  return { clusters, noise: noiseRows };
}

function computeCentroids(root: ClusterNode, members: Map<string, number[]>, embeddings: Float32Array, dimension: number): Float32Array {
  const nodes: ClusterNode[] = [];
  walkBreadthFirst(root, (node) => nodes.push(node));
  const centroids = new Float32Array(nodes.length * dimension);
  nodes.forEach((node, row) => {
    node.centroid_row = row;
    centroids.set(meanDirection(members.get(node.cluster_id) ?? [], embeddings, dimension), row * dimension);
  });
  return centroids;
}
