import { describe, expect, it } from 'vitest';
import { attachAvgLogprobs } from './attach-avg-logprobs.js';
import { annotatedOutputFromJson, annotatedOutputToJson } from './annotated-output-to-json.js';
import { formatChess } from './format-chess.js';
import { seedExample } from './test-fixture.js';
import { readTokenLogprobs } from './token-logprobs.js';

describe('attachAvgLogprobs', () => {
  // The seed example with its sentences' real offsets in the text.
  const seed = seedExample();
  const output = { ...seed, annotations: seed.annotations.map((a) => ({ ...a, charStart: seed.text.indexOf(a.textSpan), charEnd: seed.text.indexOf(a.textSpan) + a.textSpan.length })) };
  // vLLM completions shape, text_offset from 0: the first sentence's tokens, then the second's.
  const pieces: Array<[string, number]> = [
    ['The', -0.5], [' derivative', -1.5], [' of', -0.1], [' x', -0.2], ['^', -0.3], ['2', -0.1], [' is', -0.2], [' 2', -0.4], ['x', -0.1], ['.', -0.6],
    [' This', -2.0], [' follows', -1.0], [' from', -0.3], [' the', -0.1], [' power', -0.9], [' rule', -0.5], ['.', -0.2],
  ];
  let offset = 0;
  const logprobs = { tokens: pieces.map(([t]) => t), token_logprobs: pieces.map(([, l]) => l), text_offset: pieces.map(([t]) => ((offset += t.length), offset - t.length)), top_logprobs: pieces.map(([t, l]) => ({ [t]: l })) };
  const reading = readTokenLogprobs({ text: output.text, logprobs }, output.text);
  if (reading.status !== 'ok') throw new Error(JSON.stringify(reading));
  const attached = attachAvgLogprobs(output, reading.tokens);
  const mean = (values: number[]) => values.reduce((sum, value) => sum + value, 0) / values.length;

  it('gives every annotation of a sentence the mean logprob of its tokens', () => {
    for (const annotation of attached.annotations) {
      const expected = annotation.sentenceIndex === 0 ? mean(pieces.slice(0, 10).map(([, l]) => l)) : mean(pieces.slice(10).map(([, l]) => l));
      expect(annotation.avgLogprob).toBeCloseTo(expected, 12);
    }
    // The input output is left as it was.
    expect(output.annotations.every((annotation) => annotation.avgLogprob === undefined)).toBe(true);
  });

  it('writes avg_logprob to JSON only when present, reads it back, and shows it in chess', () => {
    const json = annotatedOutputToJson(attached);
    expect(json.annotations.map((a) => a.avg_logprob)).toEqual(attached.annotations.map((a) => a.avgLogprob));
    expect(annotatedOutputFromJson(JSON.parse(JSON.stringify(json))).annotations.map((a) => a.avgLogprob)).toEqual(attached.annotations.map((a) => a.avgLogprob));
    expect(annotatedOutputToJson(output).annotations.every((a) => !('avg_logprob' in a))).toBe(true);
    expect(() => annotatedOutputFromJson({ ...json, annotations: [{ ...json.annotations[0], avg_logprob: 'high' }] })).toThrow(/avg_logprob must be a number/);
    const chess = formatChess(attached);
    expect(chess).toContain(`├─ "The derivative of x^2 is 2x." (avg logprob ${attached.annotations.find((a) => a.sentenceIndex === 0)!.avgLogprob!.toFixed(2)})`);
    expect(formatChess(output)).not.toContain('avg logprob');
  });
});
