import { EmbedderMismatchError, InvalidInputError, type EmbedderV1 } from '@corpus-proximity/core';
import { findEmbedderRegistration, registeredEmbedders, type EmbedderManifestInfo, type EmbedderOverrides } from './embedder-registry.js';

export type { EmbedderManifestInfo, EmbedderOverrides } from './embedder-registry.js';

/**
 * Recreates the embedder an index was built with, from its manifest entry and the files of its
 * embedder/ folder, so queries are embedded in the same space. Knows 'lsa', 'onnx', 'openai' and every
 * provider added with registerEmbedder; throws InvalidInputError for others and EmbedderMismatchError when state and manifest disagree.
 */
export function embedderFromManifest(info: EmbedderManifestInfo, files: Record<string, Uint8Array>, overrides: EmbedderOverrides = {}): EmbedderV1 {
  const registration = findEmbedderRegistration(info.provider);
  if (!registration?.fromManifest) {
    const known = registeredEmbedders()
      .filter((entry) => entry.fromManifest)
      .map((entry) => entry.provider);
    throw new InvalidInputError(
      `embedderFromManifest: unknown embedder provider "${info.provider}" (model "${info.modelId}"); known providers: ${known.join(', ')}. ` +
        'Register it with registerEmbedder(provider, (info, files) => embedder), or create the embedder yourself and pass it to annotate (its provider, modelId and dimensions must match the index).',
    );
  }
  const embedder = registration.fromManifest(info, files, overrides);
  if (embedder.modelId !== info.modelId || embedder.dimensions !== info.dimensions) {
    throw new EmbedderMismatchError(
      `the index's manifest says ${info.provider}:${info.modelId} with ${info.dimensions} dimensions, but the recreated embedder is ${embedder.provider}:${embedder.modelId} with ${embedder.dimensions}; the embedder/ folder or the overrides do not belong to this manifest`,
    );
  }
  return embedder;
}
