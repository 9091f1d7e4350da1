import { decodeUtf8 } from './decode-utf8.js';
import { InvalidInputError } from '../errors.js';
import { readLines } from './read-lines.js';

/** One JSON object of a JSONL file, with the 1-based line it was on. */
export interface JsonlRecord {
  line: number;
  value: Record<string, unknown>;
}

/** How to treat malformed lines in a JSONL file. */
export interface JsonlReadOptions {
  /** Skip lines that are not valid JSON objects (or not valid UTF-8) instead of throwing. */
  skipInvalid?: boolean;
  /** Told about every skipped line (only with skipInvalid). */
  onInvalid?: (error: InvalidInputError) => void;
}

/**
 * Streams the JSON objects of a JSONL file (by path) or byte stream (e.g. process.stdin), line by line.
 * Blank lines are ignored; a malformed line throws an InvalidInputError with its file and line,
 * or is skipped and reported through onInvalid when skipInvalid is set.
 * `name` is how the source is named in messages (the path by default).
 */
export async function* readJsonlRecords(
  source: string | AsyncIterable<Uint8Array>,
  options: JsonlReadOptions & { name?: string } = {},
): AsyncGenerator<JsonlRecord> {
  const name = options.name ?? (typeof source === 'string' ? source : '<stdin>');
  for await (const { line, bytes } of readLines(source)) {
    if (isBlank(bytes)) continue;
    let record: JsonlRecord;
    try {
      record = { line, value: parseJsonlLine(decodeUtf8(bytes, name, line), name, line) };
    } catch (error) {
      if (InvalidInputError.isInstance(error) && options.skipInvalid) {
        options.onInvalid?.(error);
        continue;
      }
      throw error;
    }
    yield record;
  }
}

/** Parses JSONL already in memory (a string from stdin or a test); same rules as readJsonlRecords. */
export function parseJsonlText(text: string, name: string, options: JsonlReadOptions = {}): JsonlRecord[] {
  const records: JsonlRecord[] = [];
  let start = 0;
  let line = 0;
  while (start <= text.length) {
    let end = text.indexOf('\n', start);
    if (end === -1) end = text.length;
    line++;
    let content = text.slice(start, end).replace(/\r$/, '');
    if (line === 1 && content.startsWith('\uFEFF')) content = content.slice(1);
    start = end + 1;
    if (content.trim() === '') continue;
    try {
      records.push({ line, value: parseJsonlLine(content, name, line) });
    } catch (error) {
      if (InvalidInputError.isInstance(error) && options.skipInvalid) {
        options.onInvalid?.(error);
        continue;
      }
      throw error;
    }
  }
  return records;
}

/** Parses one JSONL line that must hold a JSON object; errors name the file and line. */
export function parseJsonlLine(content: string, name: string, line: number): Record<string, unknown> {
  let value: unknown;
  try {
    value = JSON.parse(content);
  } catch (cause) {
    const reason = cause instanceof Error ? cause.message : String(cause);
    throw new InvalidInputError(`${name}:${line}: not valid JSON (${reason}); fix the line or pass --skip-invalid to skip it`, {
      file: name,
      line,
      cause,
    });
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    const kind = value === null ? 'null' : Array.isArray(value) ? 'an array' : `a ${typeof value}`;
    throw new InvalidInputError(
      `${name}:${line}: expected a JSON object per line, got ${kind}; fix the line or pass --skip-invalid to skip it`,
      { file: name, line },
    );
  }
  return value as Record<string, unknown>;
}

function isBlank(bytes: Uint8Array): boolean {
  for (const byte of bytes) if (byte !== 0x20 && byte !== 0x09 && byte !== 0x0d) return false;
  return true;
}
