import type { ClusterNode } from '../types.js';
import type { ClusterTreeSettings } from './cluster-tree.js';

/** Why a node is not split at all (the seed-004 gates every tree kind shares): too deep, already coherent, or too small for two children. */
export function leafReasonBeforeSplit(
  node: ClusterNode,
  size: number,
  minClusterSize: number,
  settings: Pick<ClusterTreeSettings, 'maxDepth' | 'silhouetteThreshold'>,
): 'max-depth' | 'coherent' | 'too-small' | undefined {
  if (node.depth >= settings.maxDepth) return 'max-depth';
  if (node.depth > 0 && node.silhouette !== null && node.silhouette >= settings.silhouetteThreshold) return 'coherent';
  if (size < 2 * minClusterSize) return 'too-small';
  return undefined;
}
