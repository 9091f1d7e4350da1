// Bundled by annotate.mjs from the sources, so the benchmark needs no build of core or annotate.
export { annotateBatch, splitSentences } from '../../packages/annotate/src/index.js';
export { corpusIndexFromData } from '../../packages/core/src/index.js';
