export * from './map-with-concurrency.js';
export * from './select-samples.js';
export * from './cluster-members.js';
export * from './name-cluster-tree.js';
export * from './rename-cluster-tree.js';
