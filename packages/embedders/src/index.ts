export { createLsaEmbedder, type LsaEmbedder, type LsaEmbedderSettings, type LsaFitReport } from './lsa/create-lsa-embedder.js';
export { wordTokens, countWords } from './lsa/word-tokens.js';
export { encodeNpyFloat32, decodeNpyFloat32 } from './lsa/npy-float32.js';
export { embedderFromManifest, type EmbedderManifestInfo } from './embedder-from-manifest.js';
export { writeTinyBertModel, buildTinyBertOnnx, type TinyBertModelOptions } from './onnx/write-tiny-bert-model.js';
