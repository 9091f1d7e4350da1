import { sha256Bytes } from '../index-format/sha256-file.js';
import type { EmbedderV1 } from '../specs.js';

/**
 * A sha256 over what decides an embedder's vectors: provider, model, dimensions and, for embedders
 * that export state (corpus-fitted ones, after doFit), their settings and the hash of every state
 * file. Equal fingerprints mean rows embedded in an earlier run can be reused.
 */
export function embedderFingerprint(embedder: EmbedderV1): string {
  const state = embedder.exportState?.();
  const files = Object.entries(state?.files ?? {})
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([name, bytes]) => [name, sha256Bytes(bytes)]);
  return sha256Bytes(
    stableStringify({
      provider: embedder.provider,
      model_id: embedder.modelId,
      dimensions: embedder.dimensions,
      settings: state?.settings ?? null,
      files,
    }),
  );
}

/** JSON with object keys sorted at every level, so equal values always give equal text. */
export function stableStringify(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map((item) => stableStringify(item ?? null)).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, item]) => item !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([key, item]) => `${JSON.stringify(key)}:${stableStringify(item)}`).join(',')}}`;
  }
  return JSON.stringify(value);
}
