/** One token of a model output with its log-probability, placed in the output text ([start, end) in UTF-16 code units). */
export interface TokenLogprob {
  token: string;
  /** Natural-log probability; null where the engine gave none (e.g. the first prompt token of an echo). */
  logprob: number | null;
  start: number;
  end: number;
}

/** Which documented shape the logprobs came in. */
export type LogprobsFormat = 'openai-chat' | 'openai-completions';

/** What readTokenLogprobs found: no logprobs, tokens placed in the text, or logprobs that do not fit the text (and why). */
export type TokenLogprobsReading =
  | { status: 'absent' }
  | { status: 'ok'; format: LogprobsFormat; tokens: TokenLogprob[] }
  | { status: 'mismatch'; format?: LogprobsFormat; reason: string };

/**
 * Finds per-token logprobs in a model-output record and places each token in `text`. Reads the shapes
 * vLLM and the OpenAI API return: chat (`choices[0].logprobs.content[]` of `{token, logprob, bytes}`),
 * completions (`choices[0].logprobs` of `{tokens[], token_logprobs[], text_offset[]}`), the same objects
 * as a top-level `logprobs` field beside the text, a top-level list of `{token, logprob}`, or top-level
 * `tokens[]` + `token_logprobs[]`. Tokens must spell the text (leading / trailing whitespace and an
 * echoed prompt before it are allowed), else the reading is a mismatch with the reason.
 */
export function readTokenLogprobs(record: Record<string, unknown>, text: string): TokenLogprobsReading {
  const choice = Array.isArray(record.choices) && isObject(record.choices[0]) ? record.choices[0] : undefined;
  const container = choice?.logprobs ?? record.logprobs;
  if (Array.isArray(container)) return placeChatTokens(container, text);
  if (isObject(container)) {
    if (Array.isArray(container.content)) return placeChatTokens(container.content, text);
    if (Array.isArray(container.tokens) || Array.isArray(container.token_logprobs)) return placeCompletionTokens(container, text);
    return { status: 'mismatch', reason: `logprobs has neither content[] (chat) nor tokens[] + token_logprobs[] (completions); it has: ${Object.keys(container).join(', ') || 'no fields'}` };
  }
  if (container !== undefined && container !== null) return { status: 'mismatch', reason: `logprobs is a ${typeof container}, not an object or a list` };
  if (Array.isArray(record.token_logprobs) || Array.isArray(record.tokens)) return placeCompletionTokens(record, text);
  return { status: 'absent' };
}

/** Mean logprob of the tokens whose first visible character lies in [start, end); undefined when there is none. */
export function averageLogprob(tokens: readonly TokenLogprob[], start: number, end: number, text: string): number | undefined {
  let sum = 0;
  let count = 0;
  for (const token of tokens) {
    if (token.logprob === null || !Number.isFinite(token.logprob)) continue;
    const anchor = visibleStart(text, token.start, token.end);
    if (anchor >= start && anchor < end) {
      sum += token.logprob;
      count++;
    }
  }
  return count === 0 ? undefined : sum / count;
}

/** Chat logprobs: each entry's bytes (UTF-8, so a character split across tokens still adds up) or else its token string. */
function placeChatTokens(entries: unknown[], text: string): TokenLogprobsReading {
  const format = 'openai-chat';
  const pieces: Uint8Array[] = [];
  const logprobs: Array<number | null> = [];
  const strings: string[] = [];
  for (const [position, entry] of entries.entries()) {
    if (!isObject(entry) || typeof entry.token !== 'string' || !(typeof entry.logprob === 'number' || entry.logprob === null)) {
      return { status: 'mismatch', format, reason: `logprobs content[${position}] is not {token: string, logprob: number}` };
    }
    const bytes = Array.isArray(entry.bytes) && entry.bytes.every((byte) => Number.isInteger(byte) && byte >= 0 && byte < 256) ? Uint8Array.from(entry.bytes as number[]) : encoder.encode(entry.token);
    pieces.push(bytes);
    logprobs.push(entry.logprob);
    strings.push(entry.token);
  }
  const total = concatenate(pieces);
  let stream: string;
  try {
    stream = new TextDecoder('utf-8', { fatal: true }).decode(total);
  } catch {
    return { status: 'mismatch', format, reason: 'the tokens\' bytes together are not valid UTF-8' };
  }
  // UTF-16 offset of every byte boundary of the stream, so a token starting inside a character sits at that character.
  const charAt = byteToCharOffsets(stream, total.length);
  let byte = 0;
  const starts = pieces.map((piece) => {
    const start = charAt[byte]!;
    byte += piece.length;
    return start;
  });
  return placeStream(format, stream, starts, strings, logprobs, text);
}

/** Completions logprobs: token strings, their logprobs and (when given) their character offsets. */
function placeCompletionTokens(container: Record<string, unknown>, text: string): TokenLogprobsReading {
  const format = 'openai-completions';
  const tokens = container.tokens;
  const values = container.token_logprobs;
  if (!Array.isArray(tokens) || !tokens.every((token) => typeof token === 'string')) {
    return { status: 'mismatch', format, reason: 'token_logprobs[] needs tokens[] (the token strings) beside it to be placed in the text' };
  }
  if (!Array.isArray(values) || !values.every((value) => typeof value === 'number' || value === null)) {
    return { status: 'mismatch', format, reason: 'tokens[] needs token_logprobs[] (numbers or null) beside it' };
  }
  if (tokens.length !== values.length) return { status: 'mismatch', format, reason: `${tokens.length} tokens but ${values.length} token_logprobs` };
  const strings = tokens as string[];
  const stream = strings.join('');
  let offset = 0;
  const starts = strings.map((token) => {
    const start = offset;
    offset += token.length;
    return start;
  });
  const placed = placeStream(format, stream, starts, strings, values as Array<number | null>, text);
  if (placed.status === 'ok' || !Array.isArray(container.text_offset)) return placed;
  return placeByTextOffset(strings, values as Array<number | null>, container.text_offset, text) ?? placed;
}

/**
 * Places tokens by text_offset when their strings do not spell the text (byte tokens such as
 * "bytes:\xe2\x80" for a split character). Offsets count code points (Python's len), from the first token.
 */
function placeByTextOffset(tokens: string[], logprobs: Array<number | null>, offsets: unknown[], text: string): TokenLogprobsReading | undefined {
  if (offsets.length !== tokens.length || tokens.length === 0 || !offsets.every((value) => Number.isInteger(value))) return undefined;
  const codePoints = [...text];
  const toUtf16: number[] = [0];
  for (const character of codePoints) toUtf16.push(toUtf16[toUtf16.length - 1]! + character.length);
  const base = offsets[0] as number;
  // The text may have lost the first token's leading whitespace (a harness that trims outputs).
  const shift = Math.max(0, leadingSpace(tokens[0]!) - leadingSpace(text));
  const starts: number[] = [];
  for (const [i, token] of tokens.entries()) {
    const relative = (offsets[i] as number) - base - shift;
    if (relative >= codePoints.length || (i > 0 && (offsets[i] as number) < (offsets[i - 1] as number))) return undefined;
    const start = relative < 0 ? relative : toUtf16[relative]!;
    const visible = start < 0 ? token.slice(-start) : token;
    if (!token.startsWith('bytes:') && text.slice(Math.max(0, start), Math.max(0, start) + visible.length) !== visible) return undefined;
    starts.push(start);
  }
  const placed = tokens.map((token, i) => ({ token, logprob: logprobs[i]!, start: Math.max(0, starts[i]!), end: Math.max(0, starts[i + 1] ?? text.length) }));
  return { status: 'ok', format: 'openai-completions', tokens: placed.filter((token) => token.end > token.start || token.start < text.length) };
}

/** Lines the token stream up with the text and shifts the token offsets into it. */
function placeStream(format: LogprobsFormat, stream: string, starts: number[], strings: string[], logprobs: Array<number | null>, text: string): TokenLogprobsReading {
  const shift = alignment(stream, text);
  if (shift === undefined) {
    return { status: 'mismatch', format, reason: `the ${strings.length} tokens spell ${quote(stream)}, not the output text ${quote(text)}` };
  }
  const tokens: TokenLogprob[] = [];
  strings.forEach((token, i) => {
    const start = Math.max(0, starts[i]! - shift);
    const end = Math.min(text.length, (starts[i + 1] ?? stream.length) - shift);
    // A token that starts inside a character (a byte-level piece) is zero-width at that character; keep it.
    if (end > start || (end === start && start < text.length && starts[i]! - shift >= 0)) tokens.push({ token, logprob: logprobs[i]!, start, end });
  });
  return { status: 'ok', format, tokens };
}

/** How far the text starts into the token stream: 0 when equal, the whitespace difference when only the ends differ, the prompt's length when the stream echoes it; undefined otherwise. */
function alignment(stream: string, text: string): number | undefined {
  if (stream === text) return 0;
  if (stream.trim() === text.trim() && text.trim() !== '') return leadingSpace(stream) - leadingSpace(text);
  if (text.trim() !== '' && stream.trimEnd().endsWith(text.trimEnd())) return stream.trimEnd().length - text.trimEnd().length;
  return undefined;
}

const encoder = new TextEncoder();

function byteToCharOffsets(stream: string, byteLength: number): number[] {
  const map = new Array<number>(byteLength + 1);
  let byte = 0;
  let char = 0;
  for (const character of stream) {
    const width = encoder.encode(character).length;
    for (let b = 0; b < width; b++) map[byte + b] = char;
    byte += width;
    char += character.length;
  }
  map[byteLength] = stream.length;
  return map;
}

function concatenate(pieces: Uint8Array[]): Uint8Array {
  const total = new Uint8Array(pieces.reduce((sum, piece) => sum + piece.length, 0));
  let offset = 0;
  for (const piece of pieces) {
    total.set(piece, offset);
    offset += piece.length;
  }
  return total;
}

function visibleStart(text: string, start: number, end: number): number {
  for (let i = start; i < end; i++) if (!/\s/.test(text[i]!)) return i;
  return start;
}

function leadingSpace(value: string): number {
  return value.length - value.trimStart().length;
}

function quote(value: string): string {
  const flat = value.replace(/\s+/g, ' ');
  return JSON.stringify(flat.length > 60 ? `${flat.slice(0, 57)}...` : flat);
}

function isObject(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}
