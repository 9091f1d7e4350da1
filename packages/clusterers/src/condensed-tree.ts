import type { SingleLinkageTree } from './single-linkage-tree.js';

/**
 * HDBSCAN's condensed tree. Cluster 0 is the root; a child always has a larger id than its parent.
 * λ = 1 / distance. Every point records the cluster it fell out of and at which λ.
 */
export interface CondensedTree {
  clusterCount: number;
  /** Parent cluster, −1 for the root. */
  clusterParent: Int32Array;
  /** λ at which the cluster split off its parent (0 for the root). */
  clusterBirth: Float64Array;
  clusterSize: Int32Array;
  pointCluster: Int32Array;
  pointLambda: Float64Array;
}

/**
 * Condenses a single-linkage tree as Campello et al. / the Python hdbscan library do: walking down
 * from the root, a split where both sides hold ≥ minClusterSize points creates two child clusters;
 * a smaller side's points fall out of the current cluster at that λ.
 * Deviation, documented: a merge at distance 0 (λ = ∞, only when ≥ minSamples points coincide) is
 * never a split; all its points fall out there. This keeps births finite and stabilities free of NaN.
 */
export function condenseTree(tree: SingleLinkageTree, minClusterSize: number): CondensedTree {
  const { n, left, right, distance, size } = tree;
  const clusterParent: number[] = [-1];
  const clusterBirth: number[] = [0];
  const clusterSize: number[] = [n];
  const pointCluster = new Int32Array(n);
  const pointLambda = new Float64Array(n);
  if (n <= 1) {
    return { clusterCount: 1, clusterParent: Int32Array.from(clusterParent), clusterBirth: Float64Array.from(clusterBirth), clusterSize: Int32Array.from(clusterSize), pointCluster, pointLambda };
  }
  const countOf = (node: number): number => (node < n ? 1 : (size[node - n] as number));
  const stack: number[] = [];
  const fallOut = (node: number, cluster: number, lambda: number): void => {
    stack.push(node);
    while (stack.length > 0) {
      const x = stack.pop() as number;
      if (x < n) {
        pointCluster[x] = cluster;
        pointLambda[x] = lambda;
      } else {
        stack.push(left[x - n] as number, right[x - n] as number);
      }
    }
  };
  // queue of [node, cluster] in breadth-first order, as hdbscan walks it
  const queueNode: number[] = [2 * n - 2];
  const queueCluster: number[] = [0];
  for (let head = 0; head < queueNode.length; head++) {
    const node = queueNode[head] as number;
    const cluster = queueCluster[head] as number;
    const merge = node - n;
    const d = distance[merge] as number;
    const lambda = d > 0 ? 1 / d : Infinity;
    const a = left[merge] as number;
    const b = right[merge] as number;
    const aCount = countOf(a);
    const bCount = countOf(b);
    if (!(d > 0)) {
      fallOut(node, cluster, lambda);
    } else if (aCount >= minClusterSize && bCount >= minClusterSize) {
      for (const [child, childCount] of [[a, aCount], [b, bCount]] as const) {
        const id = clusterParent.length;
        clusterParent.push(cluster);
        clusterBirth.push(lambda);
        clusterSize.push(childCount);
        queueNode.push(child);
        queueCluster.push(id);
      }
    } else if (aCount < minClusterSize && bCount < minClusterSize) {
      fallOut(a, cluster, lambda);
      fallOut(b, cluster, lambda);
    } else {
      const [small, big] = aCount < minClusterSize ? [a, b] : [b, a];
      fallOut(small, cluster, lambda);
      // the bigger side continues as the same cluster (it is never a single point here)
      queueNode.push(big);
      queueCluster.push(cluster);
    }
  }
  return {
    clusterCount: clusterParent.length,
    clusterParent: Int32Array.from(clusterParent),
    clusterBirth: Float64Array.from(clusterBirth),
    clusterSize: Int32Array.from(clusterSize),
    pointCluster,
    pointLambda,
  };
}
