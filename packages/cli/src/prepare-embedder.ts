import type { EmbedderV1 } from '@corpus-proximity/core';
import { UsageError } from './usage-error.js';

/**
 * The embedder name for `index`: the flag, else the config's, else lsa. With --embeddings, `none`
 * (or no flag) records no query embedder, and a corpus-fitted embedder named only by the config
 * (e.g. the presets' lsa) is left out with a note, since it cannot describe embeddings made elsewhere.
 */
export function pickEmbedderName(options: { flag?: string; config?: string; precomputed: boolean; onNote: (message: string) => void }): string | undefined {
  const { flag, config, precomputed } = options;
  if (flag === 'none') {
    if (!precomputed) throw new UsageError('--embedder none only goes with --embeddings FILE.npy --chunks FILE.jsonl (something has to embed the corpus)');
    return undefined;
  }
  if (flag !== undefined) return flag;
  if (!precomputed) return config ?? 'lsa';
  if (config === undefined || config === 'none') return undefined;
  if (config === 'lsa') {
    options.onNote(`--embeddings: leaving out the config's embedder "lsa" (it is fitted on the corpus, so it cannot embed queries for ${'your'} embeddings); pass --embedder with the model that made them so annotate can embed queries`);
    return undefined;
  }
  return config;
}

/**
 * Readies the embedder before any work, so a missing model or an unknown vector size is reported
 * up front: loads models that have `load` (ONNX), and asks an API model for one vector when its
 * size is not known in advance. A failure names --dimensions where that is the fix.
 */
export async function prepareEmbedder(embedder: EmbedderV1, name: string): Promise<void> {
  await embedder.load?.();
  if (knownDimensions(embedder)) return;
  try {
    await embedder.doEmbed({ values: ['corpus-proximity dimension probe'], inputType: 'document' });
  } catch (error) {
    throw withHint(error, name);
  }
  if (!knownDimensions(embedder)) throw new UsageError(`--embedder ${name}: its vector size is not known; pass --dimensions N (the model's output size, e.g. 1536)`);
}

function knownDimensions(embedder: EmbedderV1): boolean {
  try {
    return Number.isInteger(embedder.dimensions);
  } catch {
    return false;
  }
}

function withHint(error: unknown, name: string): unknown {
  if (error instanceof Error) error.message += ` (asked ${name} for one vector to learn its size; --dimensions N skips that)`;
  return error;
}
