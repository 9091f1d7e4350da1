import { readTokenLogprobs, type TokenLogprob } from '@corpus-proximity/annotate';
import { InvalidInputError } from '@corpus-proximity/core';
import { readJsonlRecords } from '@corpus-proximity/core/internal';

/** Fields tried, in order, for the model output's text when --text-field is not given. */
export const DEFAULT_TEXT_FIELDS = ['output', 'text', 'completion', 'response'];

/** One model output read from JSONL: its text, prompt, placed logprobs (when they fit), and the record itself. */
export interface ModelOutputRecord {
  line: number;
  text: string;
  prompt?: string;
  tokens?: TokenLogprob[];
  record: Record<string, unknown>;
}

/**
 * The text of a record: --text-field, else the first of DEFAULT_TEXT_FIELDS that is a string, else an
 * API response's `choices[0].message.content` (chat) or `choices[0].text` (completions).
 */
export function outputText(record: Record<string, unknown>, textField: string | undefined): string | undefined {
  if (textField !== undefined) return typeof record[textField] === 'string' ? (record[textField] as string) : undefined;
  const field = DEFAULT_TEXT_FIELDS.find((candidate) => typeof record[candidate] === 'string');
  if (field !== undefined) return record[field] as string;
  const choice = Array.isArray(record.choices) ? (record.choices[0] as Record<string, unknown> | undefined) : undefined;
  const message = choice?.message as Record<string, unknown> | undefined;
  if (typeof message?.content === 'string') return message.content;
  return typeof choice?.text === 'string' ? choice.text : undefined;
}

/** The error for a record without text, naming the file, line, fields present and the fix. */
export function noTextError(name: string, line: number, record: Record<string, unknown>, textField: string | undefined): InvalidInputError {
  return new InvalidInputError(
    `${name}:${line}: no text field ${textField ? `"${textField}"` : `(tried ${DEFAULT_TEXT_FIELDS.join(', ')}, choices[0].message.content, choices[0].text)`}; the record has: ${Object.keys(record).join(', ') || 'no fields'}. Pass --text-field FIELD.`,
    { file: name, line },
  );
}

/** Per-token logprobs of a record placed in its text; a warning (once per output, naming the line) when they do not fit. */
export function recordLogprobs(record: Record<string, unknown>, text: string, where: string, warn: (message: string) => void): TokenLogprob[] | undefined {
  const reading = readTokenLogprobs(record, text);
  if (reading.status === 'mismatch') warn(`${where}: logprobs ignored, avg_logprob omitted: ${reading.reason}`);
  return reading.status === 'ok' ? reading.tokens : undefined;
}

/** Streams records of a JSONL source (a path or '-' for stdin) with their line numbers, skipping or stopping on bad lines. */
export function readOutputRecords(source: string, options: { skipInvalid?: boolean; onSkipped: (message: string) => void }) {
  const name = source === '-' ? '<stdin>' : source;
  return readJsonlRecords(source === '-' ? process.stdin : source, {
    name,
    skipInvalid: options.skipInvalid,
    onInvalid: (error) => options.onSkipped(error.message),
  });
}
