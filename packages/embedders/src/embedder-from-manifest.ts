import { EmbedderMismatchError, InvalidInputError, type EmbedderV1 } from '@corpus-proximity/core';
import { createLsaEmbedder } from './lsa/create-lsa-embedder.js';

/** The embedder fields an index manifest records. */
export interface EmbedderManifestInfo {
  provider: string;
  modelId: string;
  dimensions: number;
  settings: Record<string, unknown>;
}

/**
 * Recreates the embedder an index was built with, from its manifest entry and the files of its
 * embedder/ folder, so queries are embedded in the same space. Throws for unknown providers.
 */
export function embedderFromManifest(info: EmbedderManifestInfo, files: Record<string, Uint8Array>): EmbedderV1 {
  switch (info.provider) {
    case 'lsa': {
      const embedder = createLsaEmbedder({ state: { settings: info.settings, files } });
      checkSame(info, embedder);
      return embedder;
    }
    default:
      throw new InvalidInputError(
        `embedderFromManifest: unknown embedder provider "${info.provider}" (model "${info.modelId}"); known providers: lsa. ` +
          'Create the embedder yourself and pass it to annotate (its provider, modelId and dimensions must match the index).',
      );
  }
}

function checkSame(info: EmbedderManifestInfo, embedder: EmbedderV1): void {
  if (embedder.modelId !== info.modelId || embedder.dimensions !== info.dimensions) {
    throw new EmbedderMismatchError(
      `the index's manifest says ${info.provider}:${info.modelId} with ${info.dimensions} dimensions, but its embedder state gives ${embedder.provider}:${embedder.modelId} with ${embedder.dimensions}; the embedder/ folder does not belong to this manifest`,
    );
  }
}
