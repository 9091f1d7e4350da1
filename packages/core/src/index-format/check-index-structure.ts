import type { ChunkAssignment } from './corpus-index.js';
import { INDEX_FILES } from './index-files.js';
import type { ClusterNode } from '../types.js';

/** Rows of embeddings.npy whose norm the loader checks: evenly spaced, first and last included. */
export const NORM_CHECK_ROWS = 1024;

/**
 * Cheap structural checks of a loaded index, beyond checksums and shapes (so a re-signed but wrong
 * file is still caught): tree ids unique, sample ids and centroid rows in range, every cluster in
 * chunk_to_cluster.json present in the tree, noise ids in range, and up to NORM_CHECK_ROWS evenly
 * spaced embedding rows finite and of unit length (±0.01). `fail(file, message)` throws.
 */
export function checkIndexStructure(
  index: { tree: ClusterNode; assignment: ChunkAssignment; embeddings: Float32Array; dimension: number; count: number; nodes: number },
  fail: (file: string, message: string) => never,
): void {
  const { count, nodes } = index;
  const isIndex = (value: unknown, limit: number) => Number.isInteger(value) && (value as number) >= 0 && (value as number) < limit;
  const ids = new Set<string>();
  const rows = new Set<number>();
  const stack: ClusterNode[] = [index.tree];
  while (stack.length > 0) {
    const node = stack.pop()!;
    const where = `node ${JSON.stringify(node.cluster_id)}`;
    if (ids.has(node.cluster_id)) fail(INDEX_FILES.tree, `${where} appears twice`);
    ids.add(node.cluster_id);
    if (!Array.isArray(node.samples)) fail(INDEX_FILES.tree, `${where} has no samples list`);
    const badSample = node.samples.find((sample) => !isIndex(sample, count));
    if (badSample !== undefined) fail(INDEX_FILES.tree, `${where} names sample chunk ${JSON.stringify(badSample)}, but chunk ids run from 0 to ${count - 1}`);
    if (!isIndex(node.centroid_row, nodes)) fail(INDEX_FILES.tree, `${where} has centroid_row ${JSON.stringify(node.centroid_row)}, but centroids.npy has rows 0 to ${nodes - 1}`);
    if (rows.has(node.centroid_row)) fail(INDEX_FILES.tree, `${where} shares centroid_row ${node.centroid_row} with another node`);
    rows.add(node.centroid_row);
    if (!Number.isInteger(node.size) || node.size < 0 || node.size > count) fail(INDEX_FILES.tree, `${where} has size ${JSON.stringify(node.size)}, outside 0…${count}`);
    stack.push(...node.children);
  }
  for (let chunk = 0; chunk < index.assignment.clusters.length; chunk++) {
    const cluster = index.assignment.clusters[chunk]!;
    if (!ids.has(cluster)) fail(INDEX_FILES.chunkToCluster, `chunk ${chunk} is assigned to cluster ${JSON.stringify(cluster)}, which is not in tree.json`);
  }
  const badNoise = index.assignment.noise.find((chunk) => !isIndex(chunk, count));
  if (badNoise !== undefined) fail(INDEX_FILES.chunkToCluster, `noise lists chunk ${JSON.stringify(badNoise)}, but chunk ids run from 0 to ${count - 1}`);

  const { embeddings, dimension } = index;
  const checked = Math.min(count, NORM_CHECK_ROWS);
  for (let i = 0; i < checked; i++) {
    const row = checked === 1 ? 0 : Math.round((i * (count - 1)) / (checked - 1));
    let norm = 0;
    for (let j = row * dimension; j < (row + 1) * dimension; j++) norm += embeddings[j]! * embeddings[j]!;
    norm = Math.sqrt(norm);
    if (!(Math.abs(norm - 1) <= 1e-2)) fail(INDEX_FILES.embeddings, `row ${row} has norm ${Number.isFinite(norm) ? norm.toFixed(4) : String(norm)}; every row must be L2-normalized (unit length)`);
  }
}
