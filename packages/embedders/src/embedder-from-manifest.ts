import { EmbedderMismatchError, InvalidInputError, type EmbedderV1 } from '@corpus-proximity/core';
import { createLsaEmbedder } from './lsa/create-lsa-embedder.js';
import { definedOnly } from './onnx/create-arctic-embedder.js';
import { createOnnxEmbedder, type OnnxEmbedderSettings } from './onnx/create-onnx-embedder.js';
import { createOpenAIEmbedder, type OpenAIEmbedderSettings } from './openai/create-openai-embedder.js';

/** The embedder fields an index manifest records. */
export interface EmbedderManifestInfo {
  provider: string;
  modelId: string;
  dimensions: number;
  settings: Record<string, unknown>;
}

/** Local choices that are not part of the index: where models live, which device, which key. */
export interface EmbedderOverrides {
  onnx?: Partial<OnnxEmbedderSettings>;
  openai?: Partial<OpenAIEmbedderSettings>;
}

/**
 * Recreates the embedder an index was built with, from its manifest entry and the files of its
 * embedder/ folder, so queries are embedded in the same space. Knows 'lsa', 'onnx' and 'openai';
 * throws InvalidInputError for other providers and EmbedderMismatchError when state and manifest disagree.
 */
export function embedderFromManifest(info: EmbedderManifestInfo, files: Record<string, Uint8Array>, overrides: EmbedderOverrides = {}): EmbedderV1 {
  const { settings } = info;
  let embedder: EmbedderV1;
  switch (info.provider) {
    case 'lsa':
      embedder = createLsaEmbedder({ state: { settings, files } });
      break;
    case 'onnx':
      // CPU by default: annotating is local work, and the index does not say which device built it.
      embedder = createOnnxEmbedder({
        model: text(settings, 'model') ?? info.modelId,
        dtype: text(settings, 'dtype') as OnnxEmbedderSettings['dtype'],
        pooling: text(settings, 'pooling') as OnnxEmbedderSettings['pooling'],
        queryPrefix: text(settings, 'queryPrefix'),
        documentPrefix: text(settings, 'documentPrefix'),
        dimensions: info.dimensions,
        modelId: info.modelId,
        device: 'cpu',
        ...definedOnly(overrides.onnx ?? {}),
      });
      break;
    case 'openai':
      embedder = createOpenAIEmbedder({
        model: text(settings, 'model') ?? info.modelId,
        baseURL: text(settings, 'baseURL'),
        dimensions: info.dimensions,
        queryPrefix: text(settings, 'queryPrefix'),
        documentPrefix: text(settings, 'documentPrefix'),
        ...definedOnly(overrides.openai ?? {}),
      });
      break;
    default:
      throw new InvalidInputError(
        `embedderFromManifest: unknown embedder provider "${info.provider}" (model "${info.modelId}"); known providers: lsa, onnx, openai. ` +
          'Create the embedder yourself and pass it to annotate (its provider, modelId and dimensions must match the index).',
      );
  }
  if (embedder.modelId !== info.modelId || embedder.dimensions !== info.dimensions) {
    throw new EmbedderMismatchError(
      `the index's manifest says ${info.provider}:${info.modelId} with ${info.dimensions} dimensions, but the recreated embedder is ${embedder.provider}:${embedder.modelId} with ${embedder.dimensions}; the embedder/ folder or the overrides do not belong to this manifest`,
    );
  }
  return embedder;
}

function text(settings: Record<string, unknown>, key: string): string | undefined {
  const value = settings[key];
  return typeof value === 'string' ? value : undefined;
}
