import type { ChunkAssignment } from '../index-format/corpus-index.js';

/**
 * Chunk indices of every tree node from a chunk assignment: a chunk assigned to "0.2.1" belongs
 * to "0", "0.2" and "0.2.1" (noise chunks sit at the node that called them noise, so they count
 * there and above). Indices are ascending. The shape nameClusterTree's `members` takes.
 */
export function clusterMembers(assignment: Pick<ChunkAssignment, 'clusters'>): Map<string, number[]> {
  const members = new Map<string, number[]>();
  assignment.clusters.forEach((clusterId, idx) => {
    let end = clusterId.indexOf('.');
    for (;;) {
      const prefix = end < 0 ? clusterId : clusterId.slice(0, end);
      let list = members.get(prefix);
      if (list === undefined) members.set(prefix, (list = []));
      list.push(idx);
      if (end < 0) break;
      end = clusterId.indexOf('.', end + 1);
    }
  });
  return members;
}
