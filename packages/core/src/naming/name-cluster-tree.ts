import { checkSpecification } from '../check-specification.js';
import { AbortedError, InvalidInputError } from '../errors.js';
import { createRandom, deriveSeed, shuffleInPlace } from '../random.js';
import type { NamerV1, NamingRequest } from '../specs.js';
import type { ClusterNode, ProgressListener } from '../types.js';
import { mapWithConcurrency } from './map-with-concurrency.js';
import { selectSamples } from './select-samples.js';

/** What nameClusterTree needs: the namer, the corpus and the tree's geometry. */
export interface NameClusterTreeOptions {
  namer: NamerV1;
  /** Used when `namer` throws or returns an empty name (e.g. a keyword namer behind an LLM). */
  fallback?: NamerV1;
  /** Chunk texts by chunk index. */
  chunks: readonly string[];
  /** Row-major N × dimension, L2-normalized. */
  embeddings: Float32Array;
  dimension: number;
  /** Row-major, one row per node at its `centroid_row`. */
  centroids: Float32Array;
  /** Chunk indices of every node: all chunks under it, descendants and noise included. */
  members: ((clusterId: string) => readonly number[]) | ReadonlyMap<string, readonly number[]>;
  /** Representative texts per cluster. Default 8. */
  samplesPerCluster?: number;
  /** Most member texts given to a namer per cluster (a seeded sample). Default 200. */
  textsPerCluster?: number;
  /** Most namer calls in flight. Default 8. */
  concurrency?: number;
  /** Sibling names enter a prompt from this many places back in the level's order (default SIBLING_CONTEXT_LAG); independent of concurrency. */
  siblingContextLag?: number;
  /** Seeds text sampling. Default 0. */
  seed?: number;
  /** Name of the root when it has none. Default "All corpus". */
  rootName?: string;
  onProgress?: ProgressListener;
  abortSignal?: AbortSignal;
}

/** How a naming run went. */
export interface NameClusterTreeResult {
  /** Calls made to the main namer. */
  calls: number;
  /** Main-namer calls that failed (the node then got the fallback's name). */
  failures: number;
  /** Why each failed call failed, by cluster id. */
  errors: { clusterId: string; message: string }[];
}

interface LevelItem {
  node: ClusterNode;
  parent: ClusterNode;
  parentPath: string[];
}

/**
 * How far back in a level's naming order a sibling must be for its name to enter a prompt. A
 * constant, not the concurrency, so the prompt never depends on how many calls ran in parallel;
 * with more than this many calls in flight, a call may wait for the siblings it names.
 */
export const SIBLING_CONTEXT_LAG = 8;

/**
 * Names every node of a cluster tree except the root, breadth-first: level by level, the nodes of
 * a level in parallel (at most `concurrency` calls), each call knowing its ancestors' names and
 * the names given to siblings at least SIBLING_CONTEXT_LAG places earlier in the level's order (so
 * prompts, and hence caches, are the same on every run and at every concurrency: `rename` of an
 * unchanged tree asks exactly what `index` asked). Sets name, description, naming and samples in place. A
 * failing namer call falls back to `fallback`, then to "Unlabelled cluster <id>": the run never
 * stops halfway. Duplicate sibling names get " (2)", " (3)", … after each level.
 */
export async function nameClusterTree(tree: ClusterNode, options: NameClusterTreeOptions): Promise<NameClusterTreeResult> {
  checkSpecification('namer', options.namer);
  if (options.fallback) checkSpecification('namer', options.fallback);
  const concurrency = Math.max(1, Math.floor(options.concurrency ?? 8));
  const lag = Math.max(1, Math.floor(options.siblingContextLag ?? SIBLING_CONTEXT_LAG));
  const samplesPerCluster = options.samplesPerCluster ?? 8;
  const textsPerCluster = options.textsPerCluster ?? 200;
  const seed = options.seed ?? 0;
  const membersOf = memberLookup(tree, options.members);
  const prepared = new Map<string, { samples: number[]; texts: string[] }>();
  const prepare = (node: ClusterNode) => {
    let entry = prepared.get(node.cluster_id);
    if (entry === undefined) {
      const members = membersOf(node.cluster_id);
      const samples = selectSamples({
        embeddings: options.embeddings,
        dimension: options.dimension,
        centroid: centroidOf(node, members, options),
        members,
        count: samplesPerCluster,
        chunks: options.chunks,
        seed: deriveSeed(seed, node.cluster_id),
      });
      entry = { samples, texts: sampleTexts(members, textsPerCluster, deriveSeed(seed, `texts:${node.cluster_id}`), options.chunks) };
      prepared.set(node.cluster_id, entry);
    }
    return entry;
  };

  if (!tree.name) tree.name = options.rootName ?? 'All corpus';
  if (tree.samples.length === 0) tree.samples = rootSamples(tree, prepare);
  const result: NameClusterTreeResult = { calls: 0, failures: 0, errors: [] };
  const total = countNodes(tree) - 1;
  let done = 0;
  let level: LevelItem[] = tree.children.map((node) => ({ node, parent: tree, parentPath: [] }));
  while (level.length > 0) {
    throwIfAborted(options.abortSignal);
    const ordered = roundRobin(level);
    const position = new Map(ordered.map((item, index) => [item.node, index]));
    const settled = ordered.map(() => deferred());
    await mapWithConcurrency(ordered, concurrency, async (item, index) => {
      try {
        // Only siblings ≥ `lag` places earlier in the level's order: a fixed set, whatever the timing or concurrency.
        const earlier = item.parent.children.filter((sibling) => (position.get(sibling) ?? Infinity) <= index - lag);
        await Promise.all(earlier.map((sibling) => settled[position.get(sibling)!]!.promise));
        const own = prepare(item.node);
        const request: NamingRequest = {
          clusterId: item.node.cluster_id,
          depth: item.node.depth,
          samples: own.samples.map((idx) => options.chunks[idx] ?? ''),
          texts: own.texts,
          siblingTexts: item.parent.children.filter((s) => s !== item.node).map((s) => prepare(s).texts),
          parentPath: item.parentPath,
          siblingNames: earlier.map((sibling) => sibling.name),
          abortSignal: options.abortSignal,
        };
        await nameNode(item.node, request, options, result);
        item.node.samples = own.samples;
        options.onProgress?.({ stage: 'name', done: ++done, total, message: item.node.name });
      } finally {
        settled[index]!.resolve();
      }
    }, { abortSignal: options.abortSignal });
    for (const parent of new Set(level.map((item) => item.parent))) dedupeSiblingNames(parent.children);
    prepared.clear(); // texts of this level are never needed again
    level = level.flatMap((item) =>
      item.node.children.map((child) => ({ node: child, parent: item.node, parentPath: [...item.parentPath, item.node.name] })),
    );
  }
  return result;
}

/** Names one node with the namer, else the fallback, else a placeholder; never throws except on abort. */
async function nameNode(node: ClusterNode, request: NamingRequest, options: NameClusterTreeOptions, result: NameClusterTreeResult) {
  result.calls++;
  try {
    const named = await options.namer.doName(request);
    if (!named.name?.trim()) throw new Error(`${options.namer.id} returned an empty name`);
    apply(node, named, named.naming ?? options.namer.id);
    return;
  } catch (error) {
    throwIfAborted(options.abortSignal);
    result.failures++;
    result.errors.push({ clusterId: node.cluster_id, message: error instanceof Error ? error.message : String(error) });
  }
  if (options.fallback) {
    try {
      const named = await options.fallback.doName(request);
      if (named.name?.trim()) return apply(node, named, 'keywords-fallback');
    } catch {
      throwIfAborted(options.abortSignal);
    }
  }
  apply(node, { name: `Unlabelled cluster ${node.cluster_id}` }, 'unnamed');
}

function apply(node: ClusterNode, named: { name: string; description?: string }, naming: string): void {
  node.name = named.name.trim();
  if (named.description !== undefined) node.description = named.description;
  else delete node.description;
  node.naming = naming;
}

/** Gives " (2)", " (3)", … to later siblings whose name an earlier sibling already has (case-insensitive). */
export function dedupeSiblingNames(siblings: ClusterNode[]): void {
  const taken = new Set(siblings.map((s) => s.name.toLowerCase()));
  const seen = new Set<string>();
  for (const sibling of siblings) {
    const key = sibling.name.toLowerCase();
    if (!seen.has(key)) {
      seen.add(key);
      continue;
    }
    let copy = 2;
    while (taken.has(`${key} (${copy})`)) copy++;
    sibling.name = `${sibling.name} (${copy})`;
    taken.add(sibling.name.toLowerCase());
    seen.add(sibling.name.toLowerCase());
  }
}

/** A level ordered first children first, then second children, …: later siblings start after earlier ones are named. */
function roundRobin(level: LevelItem[]): LevelItem[] {
  const rank = new Map<ClusterNode, number>();
  for (const item of level) rank.set(item.node, item.parent.children.indexOf(item.node));
  return level.map((item, index) => ({ item, index })).sort((a, b) => rank.get(a.item.node)! - rank.get(b.item.node)! || a.index - b.index).map(({ item }) => item);
}

function memberLookup(tree: ClusterNode, members: NameClusterTreeOptions['members']): (clusterId: string) => readonly number[] {
  if (typeof members === 'function') return members;
  const missing: string[] = [];
  const visit = (node: ClusterNode) => {
    if (node !== tree && !members.has(node.cluster_id)) missing.push(node.cluster_id);
    node.children.forEach(visit);
  };
  visit(tree);
  if (missing.length > 0) {
    throw new InvalidInputError(`nameClusterTree: members has no entry for cluster(s) ${missing.slice(0, 5).join(', ')}; give every node's chunk indices (descendants and noise included).`);
  }
  return (clusterId) => members.get(clusterId) ?? [];
}

function centroidOf(node: ClusterNode, members: readonly number[], options: NameClusterTreeOptions): Float32Array {
  const { dimension, centroids, embeddings } = options;
  const start = node.centroid_row * dimension;
  if (node.centroid_row >= 0 && start + dimension <= centroids.length) return centroids.subarray(start, start + dimension);
  // No stored row: the mean of the members serves the same purpose.
  const mean = new Float32Array(dimension);
  for (const idx of members) for (let d = 0; d < dimension; d++) mean[d]! += embeddings[idx * dimension + d]!;
  return mean;
}

function sampleTexts(members: readonly number[], limit: number, seed: number, chunks: readonly string[]): string[] {
  const chosen = members.length <= limit ? [...members] : shuffleInPlace([...members], createRandom(seed)).slice(0, limit);
  return chosen.sort((a, b) => a - b).map((idx) => chunks[idx] ?? '');
}

function rootSamples(tree: ClusterNode, prepare: (node: ClusterNode) => { samples: number[] }): number[] {
  try {
    return prepare(tree).samples;
  } catch {
    return []; // a members lookup that knows no root: the root keeps no samples
  }
}

function countNodes(node: ClusterNode): number {
  return 1 + node.children.reduce((sum, child) => sum + countNodes(child), 0);
}

function deferred(): { promise: Promise<void>; resolve: () => void } {
  let resolve!: () => void;
  const promise = new Promise<void>((r) => (resolve = r));
  return { promise, resolve };
}

function throwIfAborted(signal: AbortSignal | undefined): void {
  if (signal?.aborted) throw new AbortedError('nameClusterTree: aborted; names given so far are kept in the tree');
}
