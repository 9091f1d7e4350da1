import { createMockClusterer, createMockEmbedder, createMockNamer, testClusterer, testEmbedder, testNamer } from './index.js';

// The mocks must pass the suites they are offered as examples for.
testEmbedder('mock hashing embedder', () => createMockEmbedder());
testClusterer('mock k-means clusterer', () => createMockClusterer());
testNamer('mock namer', () => createMockNamer());
