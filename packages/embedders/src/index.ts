export { createLsaEmbedder, type LsaEmbedder, type LsaEmbedderSettings, type LsaFitReport } from './lsa/create-lsa-embedder.js';
export { wordTokens, countWords } from './lsa/word-tokens.js';
export { createOnnxEmbedder, type OnnxEmbedder, type OnnxEmbedderSettings } from './onnx/create-onnx-embedder.js';
export { createArcticEmbedder, ARCTIC_MODEL_ID, ARCTIC_QUERY_PREFIX } from './onnx/create-arctic-embedder.js';
export { writeTinyBertModel, buildTinyBertOnnx, type TinyBertModelOptions } from './onnx/write-tiny-bert-model.js';
export { createOpenAIEmbedder, type OpenAIEmbedderSettings } from './openai/create-openai-embedder.js';
// Token windows live in core (the pipeline uses them); re-exported here where users met them first.
export { createTokenWindowSplitter, type TokenWindow, type TokenWindowOptions } from '@corpus-proximity/core';
export { embedderFromManifest, type EmbedderManifestInfo, type EmbedderOverrides } from './embedder-from-manifest.js';
export {
  registerEmbedder,
  registeredEmbedders,
  embedderFromSpec,
  findEmbedderRegistration,
  type EmbedderRegistration,
  type EmbedderFromManifest,
  type EmbedderFromSpec,
  type EmbedderSpecOptions,
} from './embedder-registry.js';
