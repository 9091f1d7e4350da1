// Bundled by name-500-clusters.mjs from the sources, so the benchmark needs no package build.
export { createKeywordNamer, createOpenAINamer } from '../../packages/namers/src/index.js';
export { nameClusterTree } from '../../packages/core/src/index.js';
