import type { IndexConfig } from './index-config.js';
import { UsageError } from './usage-error.js';

/** The tree shapes `--tree` and `clustering.tree` accept. */
export type TreeKind = 'layers' | 'recursive';

/**
 * What each tree kind sets unless the configuration says otherwise. 'recursive' is the seed-004
 * design (configs/seed-004.json); 'layers' needs a fine base clustering (10-d UMAP from a converged PCA init and a near-exact neighbour graph, 'leaf' selection).
 */
const TREE_PRESETS: Record<TreeKind, { clustering: NonNullable<IndexConfig['clustering']>; umap: NonNullable<IndexConfig['umap']>; hdbscan: NonNullable<IndexConfig['hdbscan']> }> = {
  recursive: { clustering: { tree: 'recursive', maxDepth: 3, basePct: 0.05, decay: 0.7, silhouetteThreshold: 0.3, minSamples: 10 }, umap: { nComponents: 50, initIterations: 2, knnOversampling: 1 }, hdbscan: { clusterSelectionMethod: 'eom' } },
  layers: { clustering: { tree: 'layers' }, umap: { nComponents: 10, initIterations: 30, knnOversampling: 2 }, hdbscan: { clusterSelectionMethod: 'leaf' } },
};

/**
 * Applies `--tree` (a preset: it wins over the configuration's tree settings) or the
 * configuration's `clustering.tree` (default 'layers', whose clusterer defaults fill only what the
 * file leaves out), after checking the layered-tree keys; errors name the flag or key.
 */
export function applyTreePreset(config: IndexConfig, flag: string | undefined): IndexConfig {
  if (flag !== undefined && flag !== 'layers' && flag !== 'recursive') throw new UsageError(`--tree ${flag}: expected layers (the default) or recursive (the seed-004 rules)`);
  const fromConfig = config.clustering?.tree;
  if (fromConfig !== undefined && fromConfig !== 'layers' && fromConfig !== 'recursive') throw new UsageError(`clustering.tree "${String(fromConfig)}" (config): expected "layers" or "recursive"`);
  const branching = config.clustering?.branching;
  if (branching !== undefined && branching !== 'auto' && !(Number.isInteger(branching) && (branching as number) >= 2)) throw new UsageError(`clustering.branching ${JSON.stringify(branching)} (config): expected an integer ≥ 2 or "auto"`);
  const runs = config.clustering?.consensusRuns;
  if (runs !== undefined && !(Number.isInteger(runs) && runs >= 1)) throw new UsageError(`clustering.consensusRuns ${JSON.stringify(runs)} (config): expected an integer ≥ 1`);
  const base = config.clustering?.baseMinClusterSize;
  if (base !== undefined && base !== 'auto' && !(Number.isInteger(base) && (base as number) >= 2)) throw new UsageError(`clustering.baseMinClusterSize ${JSON.stringify(base)} (config): expected an integer ≥ 2 or "auto"`);
  if (flag !== undefined) {
    const preset = TREE_PRESETS[flag];
    return { ...config, clustering: { ...config.clustering, ...preset.clustering }, umap: { ...config.umap, ...preset.umap }, hdbscan: { ...config.hdbscan, ...preset.hdbscan } };
  }
  const preset = TREE_PRESETS[fromConfig ?? 'layers'];
  return { ...config, clustering: { ...preset.clustering, ...config.clustering }, umap: { ...preset.umap, ...config.umap }, hdbscan: { ...preset.hdbscan, ...config.hdbscan } };
}
