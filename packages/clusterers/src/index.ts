export { hdbscan, type HdbscanOptions, type HdbscanResult } from './hdbscan/hdbscan.js';
export type { FragmentHandling } from './hdbscan/condensed-tree.js';
export { adjustedRandIndex } from './adjusted-rand-index.js';
export { bruteForceKnn, type KnnGraph, type Metric } from './knn/brute-force-knn.js';
export type { Matrix, PointsInput } from './matrix.js';
export { umap, type UmapOptions } from './umap/umap.js';
export { findAbParams } from './umap/find-ab-params.js';
export { createUmapHdbscanClusterer, type UmapHdbscanSettings } from './umap-hdbscan-clusterer.js';
export { nnDescent, type NnDescentOptions } from './umap/nn-descent.js';
