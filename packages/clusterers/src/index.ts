export { hdbscan, type HdbscanOptions, type HdbscanResult } from './hdbscan.js';
export type { FragmentHandling } from './condensed-tree.js';
export { adjustedRandIndex } from './adjusted-rand-index.js';
export { bruteForceKnn, type KnnGraph, type Metric } from './brute-force-knn.js';
export type { Matrix, PointsInput } from './matrix.js';
export { umap, type UmapOptions } from './umap.js';
export { findAbParams } from './find-ab-params.js';
export { createUmapHdbscanClusterer, type UmapHdbscanSettings } from './umap-hdbscan-clusterer.js';
export { nnDescent, type NnDescentOptions } from './nn-descent.js';
