export { createLsaEmbedder, type LsaEmbedder, type LsaEmbedderSettings, type LsaFitReport } from './lsa/create-lsa-embedder.js';
export { wordTokens, countWords } from './lsa/word-tokens.js';
export { encodeNpyFloat32, decodeNpyFloat32 } from './lsa/npy-float32.js';
export { createOnnxEmbedder, type OnnxEmbedder, type OnnxEmbedderSettings } from './onnx/create-onnx-embedder.js';
export { createArcticEmbedder, ARCTIC_MODEL_ID, ARCTIC_QUERY_PREFIX } from './onnx/create-arctic-embedder.js';
export { writeTinyBertModel, buildTinyBertOnnx, type TinyBertModelOptions } from './onnx/write-tiny-bert-model.js';
export { createOpenAIEmbedder, type OpenAIEmbedderSettings } from './openai/create-openai-embedder.js';
export { createTokenWindowSplitter, type TokenWindow, type TokenWindowOptions } from './create-token-window-splitter.js';
export { embedderFromManifest, type EmbedderManifestInfo, type EmbedderOverrides } from './embedder-from-manifest.js';
