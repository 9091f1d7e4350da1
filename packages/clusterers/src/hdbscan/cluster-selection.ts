import type { CondensedTree } from './condensed-tree.js';

/** How flat clusters are picked from the condensed tree. */
export interface SelectionOptions {
  method: 'eom' | 'leaf';
  epsilon: number;
  allowSingleCluster: boolean;
}

/** Flat labels, membership strengths and GLOSH outlier scores from a condensed tree. */
export interface Selection {
  labels: Int32Array;
  probabilities: Float64Array;
  outlierScores: Float64Array;
  /** Condensed-tree cluster id of each label. */
  selectedClusters: number[];
}

/**
 * Stability of each cluster: Σ over its members of (λ at which the member left − λ at which the
 * cluster was born), child clusters counting with their size (Campello et al. 2013, eq. 3).
 */
export function clusterStability(tree: CondensedTree): Float64Array {
  const { clusterCount, clusterParent, clusterBirth, clusterSize, pointCluster, pointLambda } = tree;
  const stability = new Float64Array(clusterCount);
  for (let p = 0; p < pointCluster.length; p++) {
    const c = pointCluster[p] as number;
    stability[c] = (stability[c] as number) + (pointLambda[p] as number) - (clusterBirth[c] as number);
  }
  for (let c = 1; c < clusterCount; c++) {
    const parent = clusterParent[c] as number;
    stability[parent] = (stability[parent] as number) + ((clusterBirth[c] as number) - (clusterBirth[parent] as number)) * (clusterSize[c] as number);
  }
  return stability;
}

/** Selects clusters (excess of mass or leaves, then the ε merge) and labels every point. */
export function selectClusters(tree: CondensedTree, options: SelectionOptions): Selection {
  const { clusterCount, clusterParent } = tree;
  const children: number[][] = Array.from({ length: clusterCount }, () => []);
  for (let c = 1; c < clusterCount; c++) (children[clusterParent[c] as number] as number[]).push(c);
  const lowest = options.allowSingleCluster ? 0 : 1;
  let selected: Uint8Array = new Uint8Array(clusterCount);
  if (options.method === 'eom') {
    const stability = clusterStability(tree);
    // children have larger ids than parents: a reverse sweep is bottom-up
    for (let c = clusterCount - 1; c >= lowest; c--) {
      let childSum = 0;
      for (const child of children[c] as number[]) childSum += stability[child] as number;
      if ((children[c] as number[]).length > 0 && childSum > (stability[c] as number)) {
        stability[c] = childSum;
      } else {
        selected[c] = 1;
      }
    }
  } else {
    for (let c = 1; c < clusterCount; c++) if ((children[c] as number[]).length === 0) selected[c] = 1;
    if (clusterCount === 1 && options.allowSingleCluster) selected[0] = 1;
  }
  selected = keepTopmost(selected, clusterParent);
  if (options.epsilon > 0) selected = epsilonMerge(selected, tree, children, options);
  return labelPoints(tree, selected, children, options);
}

/** Keeps only selected clusters with no selected ancestor (a selection deselects its subtree). */
function keepTopmost(selected: Uint8Array, clusterParent: Int32Array): Uint8Array {
  const covered = new Uint8Array(selected.length);
  const result = new Uint8Array(selected.length);
  for (let c = 0; c < selected.length; c++) {
    const parent = clusterParent[c] as number;
    const above = parent >= 0 && (covered[parent] as number) === 1;
    if (selected[c] && !above) result[c] = 1;
    covered[c] = above || selected[c] ? 1 : 0;
  }
  return result;
}

/** hdbscan's epsilon_search: a cluster born below distance ε is replaced by its first ancestor born above ε. */
function epsilonMerge(selected: Uint8Array, tree: CondensedTree, children: number[][], options: SelectionOptions): Uint8Array {
  const { clusterParent, clusterBirth } = tree;
  const result = new Uint8Array(selected.length);
  const processed = new Uint8Array(selected.length);
  result[0] = selected[0] as number;
  for (let c = 1; c < selected.length; c++) {
    if (!selected[c]) continue;
    if (1 / (clusterBirth[c] as number) >= options.epsilon) {
      result[c] = 1;
      continue;
    }
    if (processed[c]) continue;
    let node = c;
    for (;;) {
      const parent = clusterParent[node] as number;
      if (parent === 0) {
        if (options.allowSingleCluster) node = 0;
        break;
      }
      node = parent;
      if (1 / (clusterBirth[node] as number) > options.epsilon) break;
    }
    result[node] = 1;
    const stack = [...(children[node] as number[])];
    while (stack.length > 0) {
      const x = stack.pop() as number;
      processed[x] = 1;
      stack.push(...(children[x] as number[]));
    }
  }
  return keepTopmost(result, clusterParent);
}

/** Labels each point by its nearest selected ancestor, renumbered by first point index. */
function labelPoints(tree: CondensedTree, selected: Uint8Array, children: number[][], options: SelectionOptions): Selection {
  const { clusterCount, clusterParent, clusterBirth, pointCluster, pointLambda } = tree;
  const n = pointCluster.length;
  const owner = new Int32Array(clusterCount).fill(-1);
  for (let c = 0; c < clusterCount; c++) {
    const parent = clusterParent[c] as number;
    owner[c] = selected[c] ? c : parent >= 0 ? (owner[parent] as number) : -1;
  }
  // λ_max over each cluster's direct members (hdbscan's max_lambdas), for probabilities
  const directMax = new Float64Array(clusterCount);
  for (let p = 0; p < n; p++) {
    const c = pointCluster[p] as number;
    if ((pointLambda[p] as number) > (directMax[c] as number)) directMax[c] = pointLambda[p] as number;
  }
  for (let c = 1; c < clusterCount; c++) {
    const parent = clusterParent[c] as number;
    if ((clusterBirth[c] as number) > (directMax[parent] as number)) directMax[parent] = clusterBirth[c] as number;
  }
  // the root as the single cluster keeps only points that stay until its densest level (as hdbscan)
  const rootThreshold = options.epsilon > 0 ? 1 / options.epsilon : (directMax[0] as number);
  const labels = new Int32Array(n).fill(-1);
  const probabilities = new Float64Array(n);
  const labelOf = new Map<number, number>();
  const selectedClusters: number[] = [];
  for (let p = 0; p < n; p++) {
    const cluster = owner[pointCluster[p] as number] as number;
    if (cluster < 0) continue;
    const lambda = pointLambda[p] as number;
    if (cluster === 0 && lambda < rootThreshold) continue;
    let label = labelOf.get(cluster);
    if (label === undefined) {
      label = selectedClusters.length;
      labelOf.set(cluster, label);
      selectedClusters.push(cluster);
    }
    labels[p] = label;
    const maxLambda = directMax[cluster] as number;
    probabilities[p] = maxLambda === 0 || !Number.isFinite(lambda) ? 1 : Math.min(lambda, maxLambda) / maxLambda;
  }
  return { labels, probabilities, outlierScores: gloshScores(tree, directMax, children), selectedClusters };
}

/**
 * GLOSH (Campello et al. 2015): 1 − λ_p / λ_max, λ_max the densest level reached by the cluster the
 * point left or any of its descendants. (hdbscan's loop meant to propagate λ_max upwards stops
 * early; we propagate fully, as the paper defines it.)
 */
function gloshScores(tree: CondensedTree, directMax: Float64Array, children: number[][]): Float64Array {
  const { clusterCount, pointCluster, pointLambda } = tree;
  const deepest = Float64Array.from(directMax);
  for (let c = clusterCount - 1; c >= 0; c--) {
    for (const child of children[c] as number[]) if ((deepest[child] as number) > (deepest[c] as number)) deepest[c] = deepest[child] as number;
  }
  const scores = new Float64Array(pointCluster.length);
  for (let p = 0; p < pointCluster.length; p++) {
    const lambda = pointLambda[p] as number;
    const maxLambda = deepest[pointCluster[p] as number] as number;
    if (maxLambda === 0 || !Number.isFinite(lambda)) scores[p] = 0;
    else if (!Number.isFinite(maxLambda)) scores[p] = 1;
    else scores[p] = (maxLambda - lambda) / maxLambda;
  }
  return scores;
}
