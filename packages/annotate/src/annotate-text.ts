import type { AnnotatedOutput, CorpusIndex, EmbedderV1 } from '@corpus-proximity/core';
import { annotateBatch, type AnnotateOptions } from './annotate-batch.js';

/** Options of annotateText. */
export interface AnnotateTextOptions extends AnnotateOptions {
  /** The prompt that produced the text, kept in the output. */
  prompt?: string;
}

/**
 * Annotates one model output: each sentence (or the whole text, with phraseLevel false)
 * gets its k nearest distinct corpus clusters, nearest first.
 */
export async function annotateText(
  index: CorpusIndex,
  embedder: EmbedderV1,
  text: string,
  options: AnnotateTextOptions = {},
): Promise<AnnotatedOutput> {
  const { prompt, ...rest } = options;
  const [output] = await annotateBatch(index, embedder, [{ text, prompt: prompt ?? null }], rest);
  return output!;
}
