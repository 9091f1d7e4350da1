import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { averageLogprob, readTokenLogprobs, type TokenLogprob } from './token-logprobs.js';
import { splitSentences } from './split-sentences.js';

// Responses shaped field for field as the OpenAI API and vLLM's OpenAI-compatible server return them.
const responses = JSON.parse(readFileSync(new URL('./fixtures/logprobs-responses.json', import.meta.url), 'utf8')) as Record<string, any>;
const mean = (values: number[]) => values.reduce((sum, value) => sum + value, 0) / values.length;

function placed(record: Record<string, unknown>, text: string): TokenLogprob[] {
  const reading = readTokenLogprobs(record, text);
  if (reading.status !== 'ok') throw new Error(`expected ok, got ${JSON.stringify(reading)}`);
  return reading.tokens;
}

describe('readTokenLogprobs', () => {
  it('places OpenAI chat tokens by their bytes, an emoji split over two tokens included', () => {
    const response = responses.openai_chat;
    const text: string = response.choices[0].message.content;
    const content = response.choices[0].logprobs.content as Array<{ token: string; logprob: number }>;
    const reading = readTokenLogprobs(response, text);
    expect(reading).toMatchObject({ status: 'ok', format: 'openai-chat' });
    const tokens = placed(response, text);
    expect(tokens).toHaveLength(content.length);
    // Whole-character tokens sit exactly where their text is; the two byte tokens share the emoji.
    tokens.forEach((token, i) => {
      if (!token.token.startsWith('\\x')) expect(text.slice(token.start, token.end)).toBe(content[i]!.token);
    });
    const emoji = text.indexOf('🙂');
    expect(tokens.filter((token) => token.token.startsWith('\\x')).map((token) => [token.start, token.end])).toEqual([
      [emoji, emoji],
      [emoji, emoji + 2],
    ]);
    expect(tokens.map((token) => token.end).at(-1)).toBe(text.length);
    // Sentence averages: the first sentence has tokens 0–6, the second the rest (the lone space goes with the emoji's sentence).
    const [first, second] = splitSentences(text);
    expect(averageLogprob(tokens, first!.start, first!.end, text)).toBeCloseTo(mean(content.slice(0, 7).map((entry) => entry.logprob)), 12);
    expect(averageLogprob(tokens, second!.start, second!.end, text)).toBeCloseTo(mean(content.slice(7).map((entry) => entry.logprob)), 12);
  });

  it('reads vLLM chat responses (the OpenAI chat shape) including a non-ASCII degree sign', () => {
    const response = responses.vllm_chat;
    const text: string = response.choices[0].message.content;
    const content = response.choices[0].logprobs.content as Array<{ token: string; logprob: number }>;
    const tokens = placed(response, text);
    tokens.forEach((token, i) => expect(text.slice(token.start, token.end)).toBe(content[i]!.token));
    const [first, second] = splitSentences(text);
    const cut = content.findIndex((entry) => entry.token === ' It');
    expect(averageLogprob(tokens, first!.start, first!.end, text)).toBeCloseTo(mean(content.slice(0, cut).map((entry) => entry.logprob)), 12);
    expect(averageLogprob(tokens, second!.start, second!.end, text)).toBeCloseTo(mean(content.slice(cut).map((entry) => entry.logprob)), 12);
  });

  it('reads OpenAI completions: a leading-space first token, byte tokens placed by text_offset, and a trimmed text', () => {
    const response = responses.openai_completions;
    const raw: string = response.choices[0].text;
    const { token_logprobs: values } = response.choices[0].logprobs as { token_logprobs: number[] };
    expect(raw.startsWith(' ')).toBe(true);
    for (const text of [raw, raw.trim()]) {
      const tokens = placed(response, text);
      expect(tokens[0]!.start).toBe(0);
      expect(text.slice(tokens[0]!.start, tokens[0]!.end).trim()).toBe('Paris');
      const tower = tokens.find((token) => token.token === ' Tower')!;
      expect(text.slice(tower.start, tower.end)).toBe(' Tower');
      const bytes = tokens.filter((token) => token.token.startsWith('bytes:'));
      expect(bytes).toHaveLength(2);
      for (const token of bytes) expect(text.codePointAt(token.start)).toBe(0x1f5fc);
      const [first, second] = splitSentences(text);
      expect(averageLogprob(tokens, first!.start, first!.end, text)).toBeCloseTo(mean(values.slice(0, 2)), 12);
      expect(averageLogprob(tokens, second!.start, second!.end, text)).toBeCloseTo(mean(values.slice(2)), 12);
    }
  });

  it('reads vLLM completions (text_offset from 0) and the same objects beside a plain text field', () => {
    const choice = responses.vllm_completions.choices[0];
    const { tokens: strings, token_logprobs: values } = choice.logprobs as { tokens: string[]; token_logprobs: number[] };
    for (const record of [responses.vllm_completions, { output: choice.text, logprobs: choice.logprobs }, { text: choice.text, tokens: strings, token_logprobs: values }]) {
      const tokens = placed(record, choice.text);
      tokens.forEach((token, i) => expect(choice.text.slice(token.start, token.end)).toBe(strings[i]));
    }
    const chat = responses.vllm_chat.choices[0];
    // A bare list of chat entries, and the chat logprobs object, next to the text.
    for (const logprobs of [chat.logprobs.content, chat.logprobs]) expect(readTokenLogprobs({ text: chat.message.content, logprobs }, chat.message.content).status).toBe('ok');
  });

  it('says why when the tokens do not spell the text, and reports absent logprobs as absent', () => {
    const response = responses.vllm_chat;
    const other = readTokenLogprobs(response, 'Water boils at 90 °C on a mountain.');
    expect(other).toMatchObject({ status: 'mismatch', format: 'openai-chat' });
    expect(other.status === 'mismatch' && other.reason).toMatch(/21 tokens spell "Water boils at 100 °C/);
    expect(readTokenLogprobs({ text: 'abc', token_logprobs: [-0.1, -0.2] }, 'abc')).toMatchObject({ status: 'mismatch', reason: /needs tokens\[\]/ });
    expect(readTokenLogprobs({ text: 'ab', tokens: ['a', 'b'], token_logprobs: [-0.1] }, 'ab')).toMatchObject({ status: 'mismatch', reason: '2 tokens but 1 token_logprobs' });
    expect(readTokenLogprobs({ text: 'ab', logprobs: { foo: 1 } }, 'ab')).toMatchObject({ status: 'mismatch', reason: /it has: foo/ });
    expect(readTokenLogprobs({ text: 'ab', logprobs: [{ token: 'a', logprob: -1, bytes: [240] }, { token: 'b', logprob: -1 }] }, 'ab')).toMatchObject({ status: 'mismatch', reason: /not valid UTF-8/ });
    expect(readTokenLogprobs({ text: 'abc' }, 'abc')).toEqual({ status: 'absent' });
    expect(readTokenLogprobs({ choices: [{ text: 'abc', logprobs: null }] }, 'abc')).toEqual({ status: 'absent' });
  });
});
