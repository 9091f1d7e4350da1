// Bundled by the benchmarks in this folder from the sources, so they need no package build.
export { buildClusterTree, walkBreadthFirst } from '../../packages/core/src/index.js';
export { embedChunks, embedWithCheckpoints, createRandom, shuffleInPlace } from '../../packages/core/src/internal.js';
export { createLsaEmbedder } from '../../packages/embedders/src/index.js';
export { createUmapHdbscanClusterer, adjustedRandIndex } from '../../packages/clusterers/src/index.js';
export { hdbscan } from '../../packages/clusterers/src/index.js';
export { applyTreePreset } from '../../packages/cli/src/tree-preset.js';
