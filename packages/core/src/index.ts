export * from './types.js';
export * from './specs.js';
export * from './errors.js';
export * from './corpus-index.js';
export * from './search.js';
export * from './corpus-index-from-data.js';
