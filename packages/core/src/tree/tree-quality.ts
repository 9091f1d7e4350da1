import type { ChunkAssignment } from '../index-format/corpus-index.js';
import type { ClusterNode } from '../types.js';

/** NMI-free quality figures of one tree level (nodes at `depth`, and the splits that made them). */
export interface TreeLevelQuality {
  depth: number;
  /** Nodes at this depth. */
  clusters: number;
  /** Largest share any one child holds of its parent, over the splits into this level. */
  largest_child_share: number;
  /** Splits into this level where one child holds more than 60% of its parent. */
  splits_over_60pct: number;
  /** Chunks flagged as outliers (layered tree) or left as noise at a node (recursive tree), over all chunks. */
  outlier_share: number;
  /** Size-weighted mean silhouette of this level's nodes within their parents' splits (null when none). */
  silhouette: number | null;
}

/** Outlier (noise) chunks under every node, descendants included, by cluster id. */
export function outliersPerNode(tree: ClusterNode, assignment: Pick<ChunkAssignment, 'clusters' | 'noise'>): Map<string, number> {
  const direct = new Map<string, number>();
  for (const idx of new Set(assignment.noise)) {
    const id = assignment.clusters[idx];
    if (id !== undefined) direct.set(id, (direct.get(id) ?? 0) + 1);
  }
  const totals = new Map<string, number>();
  const visit = (node: ClusterNode): number => {
    const total = (direct.get(node.cluster_id) ?? 0) + node.children.reduce((sum, child) => sum + visit(child), 0);
    totals.set(node.cluster_id, total);
    return total;
  };
  visit(tree);
  return totals;
}

/** Per-level figures for stats.json (`tree_quality`) and `show --tree`: no labels needed. */
export function treeQuality(tree: ClusterNode, assignment: Pick<ChunkAssignment, 'clusters' | 'noise'>): TreeLevelQuality[] {
  const total = Math.max(1, tree.size);
  const noise = new Set(assignment.noise);
  const levels: TreeLevelQuality[] = [];
  let parents = [tree];
  for (let depth = 1; parents.some((node) => node.children.length > 0); depth++) {
    const split = parents.filter((node) => node.children.length > 0);
    const nodes = split.flatMap((node) => node.children);
    const shares = split.map((node) => Math.max(...node.children.map((child) => child.size)) / Math.max(1, node.size));
    const scored = nodes.filter((node) => node.silhouette !== null);
    const weight = scored.reduce((sum, node) => sum + node.size, 0);
    levels.push({
      depth,
      clusters: nodes.length,
      largest_child_share: round(Math.max(...shares)),
      splits_over_60pct: shares.filter((share) => share > 0.6).length,
      outlier_share: round(noise.size / total),
      silhouette: weight > 0 ? round(scored.reduce((sum, node) => sum + node.silhouette! * node.size, 0) / weight) : null,
    });
    parents = nodes;
  }
  return levels;
}

function round(value: number): number {
  return Math.round(value * 1000) / 1000;
}
