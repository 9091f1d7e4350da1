export { createMockEmbedder, hashEmbed } from './mock-embedder.js';
export { createMockClusterer } from './mock-clusterer.js';
export { createMockNamer } from './mock-namer.js';
export { testEmbedder, conformanceCorpus } from './test-embedder.js';
export { testClusterer, makeBlobs } from './test-clusterer.js';
export { testNamer, sampleNamingRequest } from './test-namer.js';
