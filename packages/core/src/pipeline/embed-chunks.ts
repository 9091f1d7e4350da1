import { AbortedError, PluginError } from '../errors.js';
import type { EmbedderV1 } from '../specs.js';
import type { ProgressListener } from '../types.js';

/** Embeds texts in batches of the embedder's maxEmbeddingsPerCall into one row-major matrix, checking every vector. */
export async function embedChunks(
  embedder: EmbedderV1,
  texts: string[],
  options: {
    inputType?: 'query' | 'document';
    batchSize?: number;
    /** The corpus row of each text, for messages (default: its position in `texts`). */
    rows?: readonly number[];
    onProgress?: ProgressListener;
    abortSignal?: AbortSignal;
  } = {},
): Promise<Float32Array> {
  const dimension = embedder.dimensions;
  const batchSize = Math.max(1, options.batchSize ?? embedder.maxEmbeddingsPerCall ?? 64);
  const matrix = new Float32Array(texts.length * dimension);
  for (let start = 0; start < texts.length; start += batchSize) {
    if (options.abortSignal?.aborted) throw new AbortedError('embedding was cancelled');
    const values = texts.slice(start, start + batchSize);
    const { embeddings } = await embedder.doEmbed({ values, inputType: options.inputType ?? 'document', abortSignal: options.abortSignal });
    if (embeddings.length !== values.length) {
      const first = options.rows?.[start] ?? start;
      throw new PluginError(embedder.provider, `returned ${embeddings.length} vectors for ${values.length} texts (a batch starting at row ${first})`);
    }
    embeddings.forEach((vector, i) => {
      checkVector(embedder, vector, options.rows?.[start + i] ?? start + i);
      matrix.set(vector, (start + i) * dimension);
    });
    options.onProgress?.({ stage: 'embed', done: Math.min(texts.length, start + batchSize), total: texts.length });
  }
  return matrix;
}

/** Throws a PluginError naming the row when a vector has the wrong length, a NaN/Inf, or is not unit length. */
export function checkVector(embedder: EmbedderV1, vector: Float32Array, row: number): void {
  if (vector.length !== embedder.dimensions) {
    throw new PluginError(embedder.provider, `vector for row ${row} has ${vector.length} dimensions, expected ${embedder.dimensions}`);
  }
  let norm = 0;
  for (let d = 0; d < vector.length; d++) {
    const value = vector[d]!;
    if (!Number.isFinite(value)) throw new PluginError(embedder.provider, `vector for row ${row} has a non-finite value (${value}) at dimension ${d}`);
    norm += value * value;
  }
  if (Math.abs(Math.sqrt(norm) - 1) > 1e-2) {
    throw new PluginError(embedder.provider, `vector for row ${row} is not L2-normalized (norm ${Math.sqrt(norm).toFixed(4)})`);
  }
}
