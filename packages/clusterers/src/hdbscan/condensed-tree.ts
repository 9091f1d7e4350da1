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
 * What happens to the smaller side of a split when it holds fewer than minClusterSize points:
 * 'fall-out' (Campello et al., the Python hdbscan library): all its points leave the cluster at that λ;
 * 'shrink' (R dbscan::hdbscan): it stays in the cluster and its points leave one by one, each at the λ
 * where it is cut off on its own (at most the λ where the cluster splits into two clusters).
 */
export type FragmentHandling = 'fall-out' | 'shrink';

/**
 * Condenses a single-linkage tree as Campello et al. / the Python hdbscan library do: walking down
 * from the root, a split where both sides hold ≥ minClusterSize points creates two child clusters;
 * a smaller side's points fall out of the current cluster at that λ (or, with 'shrink', as R does,
 * stay in it and leave point by point).
 * Deviation, documented: a merge at distance 0 (λ = ∞, only when ≥ minSamples points coincide) is
 * never a split; all its points fall out there. This keeps births finite and stabilities free of NaN.
 */
export function condenseTree(tree: SingleLinkageTree, minClusterSize: number, fragments: FragmentHandling = 'fall-out'): CondensedTree {
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
    } else if (fragments === 'shrink') {
      // both sides stay in the cluster; a single point is cut off here
      for (const side of [a, b]) {
        if (side < n) fallOut(side, cluster, lambda);
        else {
          queueNode.push(side);
          queueCluster.push(cluster);
        }
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
  if (fragments === 'shrink') {
    // a point cut off below the λ where its cluster split into two clusters left at that split
    const death = new Float64Array(clusterParent.length).fill(Infinity);
    for (let c = 1; c < clusterParent.length; c++) {
      const parent = clusterParent[c] as number;
      death[parent] = Math.min(death[parent] as number, clusterBirth[c] as number);
    }
    for (let p = 0; p < n; p++) pointLambda[p] = Math.min(pointLambda[p] as number, death[pointCluster[p] as number] as number);
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
