import { createOnnxEmbedder, type OnnxEmbedder, type OnnxEmbedderSettings } from './create-onnx-embedder.js';

/** Arctic-Embed's query instruction; documents get no prefix. */
export const ARCTIC_QUERY_PREFIX = 'Represent this sentence for searching relevant passages: ';

/** The default Arctic-Embed model on the Hugging Face Hub. */
export const ARCTIC_MODEL_ID = 'Snowflake/snowflake-arctic-embed-l';

/**
 * Snowflake Arctic-Embed L (1024 dimensions, CLS pooling, normalized, queries prefixed) through
 * {@link createOnnxEmbedder}. Every setting can be overridden, e.g. `model` for a local copy or another size.
 */
export function createArcticEmbedder(settings: Partial<OnnxEmbedderSettings> = {}): OnnxEmbedder {
  const model = settings.model ?? ARCTIC_MODEL_ID;
  return createOnnxEmbedder({
    pooling: 'cls',
    queryPrefix: ARCTIC_QUERY_PREFIX,
    // The size is known for the default model; another model reports its own after loading.
    ...(model === ARCTIC_MODEL_ID ? { dimensions: 1024 } : {}),
    ...definedOnly(settings),
    model,
  });
}

/** The entries that are not undefined, so `{ queryPrefix: undefined }` keeps the default instead of erasing it. */
export function definedOnly<T extends object>(settings: T): Partial<T> {
  return Object.fromEntries(Object.entries(settings).filter(([, value]) => value !== undefined)) as Partial<T>;
}
