import { createReadStream } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { createGunzip } from 'node:zlib';
import { decodeUtf8 } from './decode-utf8.js';
import { InvalidInputError } from '../errors.js';
import { listCorpusSources, type CorpusInput, type CorpusSource } from './list-corpus-sources.js';
import { readJsonlRecords, type JsonlReadOptions } from './read-jsonl-records.js';
import type { CorpusDocument, ProgressListener } from '../types.js';

/** Options of readCorpus and readCorpusDocuments. */
export interface ReadCorpusOptions extends JsonlReadOptions {
  /** Field of each JSONL object that holds the document text; 'text' by default. */
  textField?: string;
  /** Told about each document whose text is empty or only whitespace (it is left out). */
  onEmpty?: (source: string, line: number | undefined) => void;
  onProgress?: ProgressListener;
}

/** Everything readCorpusDocuments read. */
export interface ReadCorpusResult {
  documents: CorpusDocument[];
  /** Invalid lines (or files) skipped because of skipInvalid. */
  skipped: number;
  /** Documents left out because their text was empty. */
  empty: number;
  /** Every source file, in reading order (a document's shard id is its source's index here). */
  sources: string[];
}

const PROGRESS_EVERY = 10_000;

/**
 * Streams the documents of a corpus: each .txt/.md file is one document, each JSONL line another.
 * Empty documents are left out; a corpus with no document at all throws an InvalidInputError.
 */
export async function* readCorpus(inputs: readonly CorpusInput[], options: ReadCorpusOptions = {}): AsyncGenerator<CorpusDocument> {
  const sources = await listCorpusSources(inputs);
  const textField = options.textField ?? 'text';
  let done = 0;
  let empty = 0;
  for (const source of sources) {
    options.onProgress?.({ stage: 'read', done, message: source.path });
    const documents = source.format === 'text' ? readTextSource(source, options) : readJsonlSource(source, textField, options);
    for await (const document of documents) {
      if (document.text.trim() === '') {
        empty++;
        options.onEmpty?.(document.source, document.line);
        continue;
      }
      yield document;
      if (++done % PROGRESS_EVERY === 0) options.onProgress?.({ stage: 'read', done, message: source.path });
    }
  }
  options.onProgress?.({ stage: 'read', done, total: done });
  if (done === 0) throw emptyCorpusError(inputs, sources, empty);
}

/** Reads a whole corpus into memory; see readCorpus. */
export async function readCorpusDocuments(inputs: readonly CorpusInput[], options: ReadCorpusOptions = {}): Promise<ReadCorpusResult> {
  const sources = (await listCorpusSources(inputs)).map((source) => source.path);
  const documents: CorpusDocument[] = [];
  let skipped = 0;
  let empty = 0;
  const reading = readCorpus(inputs, {
    ...options,
    onInvalid: (error) => {
      skipped++;
      options.onInvalid?.(error);
    },
    onEmpty: (source, line) => {
      empty++;
      options.onEmpty?.(source, line);
    },
  });
  for await (const document of reading) documents.push(document);
  return { documents, skipped, empty, sources };
}

async function* readTextSource(source: CorpusSource, options: ReadCorpusOptions): AsyncGenerator<CorpusDocument> {
  const bytes = await readFile(source.path);
  let text: string;
  try {
    text = decodeUtf8(bytes, source.path);
  } catch (error) {
    if (InvalidInputError.isInstance(error) && options.skipInvalid) {
      options.onInvalid?.(error);
      return;
    }
    throw error;
  }
  yield { text, source: source.path, stage: source.stage, metadata: {} };
}

async function* readJsonlSource(source: CorpusSource, textField: string, options: ReadCorpusOptions): AsyncGenerator<CorpusDocument> {
  const stream = source.gzip ? createReadStream(source.path).pipe(createGunzip()) : source.path;
  const records = readJsonlRecords(stream, { skipInvalid: options.skipInvalid, onInvalid: options.onInvalid, name: source.path });
  for await (const { line, value } of source.gzip ? explainGzipErrors(records, source.path) : records) {
    const text = value[textField];
    if (typeof text !== 'string') {
      const error = new InvalidInputError(missingTextMessage(source.path, line, textField, value), { file: source.path, line });
      if (!options.skipInvalid) throw error;
      options.onInvalid?.(error);
      continue;
    }
    const metadata: Record<string, unknown> = { ...value };
    delete metadata[textField];
    yield { text, source: source.path, line, stage: source.stage, metadata };
  }
}

async function* explainGzipErrors<T>(records: AsyncIterable<T>, file: string): AsyncGenerator<T> {
  try {
    yield* records;
  } catch (cause) {
    if (InvalidInputError.isInstance(cause)) throw cause;
    throw new InvalidInputError(`${file}: cannot decompress (${(cause as Error).message}); check that it is a complete gzip file`, { file, cause });
  }
}

function missingTextMessage(file: string, line: number, field: string, value: Record<string, unknown>): string {
  const present = Object.keys(value);
  const fields = present.length === 0 ? 'no fields' : `fields present: ${present.join(', ')}`;
  if (field in value) {
    const kind = value[field] === null ? 'null' : Array.isArray(value[field]) ? 'an array' : `a ${typeof value[field]}`;
    return `${file}:${line}: field "${field}" is ${kind}, not a string; fix the line or pass --skip-invalid to skip it`;
  }
  const hint = present.find((name) => typeof value[name] === 'string');
  const suggestion = hint === undefined ? '' : ` (e.g. --text-field ${hint})`;
  return `${file}:${line}: no "${field}" field (${fields}); name the text field with --text-field${suggestion}, or pass --skip-invalid to skip such lines`;
}

function emptyCorpusError(inputs: readonly CorpusInput[], sources: CorpusSource[], empty: number): InvalidInputError {
  const where = inputs.map((input) => input.path).join(', ') || '(no inputs)';
  const why =
    sources.length === 0
      ? 'no .txt, .md, .jsonl or .ndjson files there (folders are searched for .txt and .md files; pass JSONL files directly)'
      : empty > 0
        ? `all ${empty} documents have empty text`
        : 'no documents were read (every line was blank or skipped)';
  return new InvalidInputError(`empty corpus in ${where}: ${why}; point the index command at the training data`, {
    file: inputs[0]?.path,
  });
}
