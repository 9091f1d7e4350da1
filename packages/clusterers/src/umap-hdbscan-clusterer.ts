import { AbortedError, PluginError, type ClustererV1, CorpusProximityError } from '@corpus-proximity/core';
import { hdbscan } from './hdbscan.js';
import { normalizeRows, toMatrix, toRows, type Matrix } from './matrix.js';
import { umap } from './umap.js';

/** Settings of {@link createUmapHdbscanClusterer}. */
export interface UmapHdbscanSettings {
  /** Dimensions UMAP reduces to (capped at the input's). Default 50. */
  nComponents?: number;
  nNeighbors?: number;
  /** Default 0: tight clumps suit density clustering. */
  minDist?: number;
  metric?: 'cosine' | 'euclidean';
  clusterSelectionMethod?: 'eom' | 'leaf';
  clusterSelectionEpsilon?: number;
  /** UMAP epochs; default umap-learn's (500 for n ≤ 10,000, else 200). */
  nEpochs?: number;
  /** Below this many points UMAP is skipped and HDBSCAN sees the (normalised) vectors. Default nNeighbors + 1. */
  minPointsForUmap?: number;
}

/**
 * One level of the recursive tree: UMAP the vectors to min(nComponents, dims) dimensions, then
 * HDBSCAN (labels −1 = noise, 0..k−1). Deterministic for a given seed.
 */
export function createUmapHdbscanClusterer(settings: UmapHdbscanSettings = {}): ClustererV1 {
  const nComponents = settings.nComponents ?? 50;
  const nNeighbors = settings.nNeighbors ?? 15;
  const metric = settings.metric ?? 'cosine';
  const minPointsForUmap = settings.minPointsForUmap ?? nNeighbors + 1;
  return {
    specificationVersion: 'clusterer-v1',
    id: `umap-hdbscan(${metric},${nComponents}d,k=${nNeighbors})`,
    async doCluster({ vectors, seed, minClusterSize, minSamples, onProgress, abortSignal }) {
      if (abortSignal?.aborted) throw new AbortedError('umap-hdbscan: aborted');
      const n = vectors.length;
      let matrix: Matrix;
      try {
        matrix = toMatrix(vectors, 'umap-hdbscan');
      } catch (error) {
        throw CorpusProximityError.isInstance(error) ? error : new PluginError('umap-hdbscan', String(error), { cause: error });
      }
      const dims = matrix.cols;
      let reduced: Float32Array[];
      if (n <= minPointsForUmap || dims === 0) {
        reduced = toRows(metric === 'cosine' ? normalizeRows(matrix) : matrix);
      } else {
        reduced = umap(matrix, {
          nComponents: Math.min(nComponents, dims),
          nNeighbors,
          minDist: settings.minDist ?? 0,
          metric,
          seed,
          nEpochs: settings.nEpochs,
          onProgress: onProgress && ((event) => onProgress({ ...event, stage: 'cluster', message: `umap: ${event.message ?? ''}` })),
          abortSignal,
        });
      }
      if (abortSignal?.aborted) throw new AbortedError('umap-hdbscan: aborted');
      onProgress?.({ stage: 'cluster', done: 0, total: 1, message: 'hdbscan' });
      const clusterSize = Math.max(2, Math.floor(minClusterSize));
      const samples = Math.max(1, Math.min(Math.floor(minSamples), n - 1));
      const { labels } = hdbscan(reduced, {
        minClusterSize: clusterSize,
        minSamples: samples,
        clusterSelectionMethod: settings.clusterSelectionMethod ?? 'eom',
        clusterSelectionEpsilon: settings.clusterSelectionEpsilon ?? 0,
      });
      onProgress?.({ stage: 'cluster', done: 1, total: 1, message: 'hdbscan' });
      return { labels, reduced };
    },
  };
}
