export * from './types.js';
export * from './specs.js';
export * from './errors.js';
export * from './corpus-index.js';
