import type { AnnotatedOutput } from '@corpus-proximity/core';
import { averageLogprob, type TokenLogprob } from './token-logprobs.js';

/** The output with `avgLogprob` on every annotation whose sentence has at least one token with a logprob (tokens from readTokenLogprobs on the same text). */
export function attachAvgLogprobs(output: AnnotatedOutput, tokens: readonly TokenLogprob[]): AnnotatedOutput {
  const bySpan = new Map<string, number | undefined>();
  const annotations = output.annotations.map((annotation) => {
    const key = `${annotation.charStart}:${annotation.charEnd}`;
    if (!bySpan.has(key)) bySpan.set(key, averageLogprob(tokens, annotation.charStart, annotation.charEnd, output.text));
    const average = bySpan.get(key);
    return average === undefined ? annotation : { ...annotation, avgLogprob: average };
  });
  return { ...output, annotations };
}
