import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { InvalidInputError } from '../errors.js';
import { listCorpusSources } from './list-corpus-sources.js';
import { readCorpus, readCorpusDocuments } from './read-corpus.js';

let folder: string;
beforeEach(async () => {
  folder = await mkdtemp(join(tmpdir(), 'cp-corpus-'));
});
afterEach(async () => {
  await rm(folder, { recursive: true, force: true });
});

async function failure(promise: Promise<unknown>): Promise<InvalidInputError> {
  const error = await promise.then(() => undefined, (e: unknown) => e);
  expect(error).toBeInstanceOf(InvalidInputError);
  return error as InvalidInputError;
}

describe('readCorpusDocuments', () => {
  it('reads a folder recursively in sorted order, one document per .txt/.md file, skipping other and hidden files', async () => {
    const docs = join(folder, 'docs');
    await mkdir(join(docs, 'b'), { recursive: true });
    await mkdir(join(docs, '.git'), { recursive: true });
    await writeFile(join(docs, 'z.md'), '# Z\n\nzed');
    await writeFile(join(docs, 'a.txt'), 'first file');
    await writeFile(join(docs, 'b', 'c.txt'), 'nested');
    await writeFile(join(docs, 'b', 'empty.txt'), '  \n');
    await writeFile(join(docs, 'image.png'), 'not text');
    await writeFile(join(docs, '.git', 'x.txt'), 'hidden');
    const result = await readCorpusDocuments([{ path: docs, stage: 'sft' }]);
    expect(result.sources).toEqual([join(docs, 'a.txt'), join(docs, 'b', 'c.txt'), join(docs, 'b', 'empty.txt'), join(docs, 'z.md')]);
    expect(result.documents.map((d) => [d.source, d.text, d.stage, d.line])).toEqual([
      [join(docs, 'a.txt'), 'first file', 'sft', undefined],
      [join(docs, 'b', 'c.txt'), 'nested', 'sft', undefined],
      [join(docs, 'z.md'), '# Z\n\nzed', 'sft', undefined],
    ]);
    expect(result.empty).toBe(1);
    expect(result.skipped).toBe(0);
  });

  it('reads JSONL with a configurable text field, keeping other fields as metadata, stage pretrain by default', async () => {
    const file = join(folder, 'shard.jsonl');
    await writeFile(file, '{"content":"one","id":7,"tags":["x"]}\n\n{"content":"two","id":8}\n');
    const gz = join(folder, 'more.ndjson.gz');
    await writeFile(gz, gzipSync('{"content":"three"}\n'));
    const { documents, sources } = await readCorpusDocuments([{ path: file }, { path: gz, stage: 'midtrain' }], { textField: 'content' });
    expect(sources).toEqual([file, gz]);
    await writeFile(join(folder, 'broken.jsonl.gz'), gzipSync('{"content":"x"}\n').subarray(0, 12));
    const broken = await failure(readCorpusDocuments([{ path: join(folder, 'broken.jsonl.gz') }], { textField: 'content' }));
    expect(broken.message).toMatch(/broken\.jsonl\.gz: cannot decompress \(.+\); check that it is a complete gzip file/);
    expect(documents).toEqual([
      { text: 'one', source: file, line: 1, stage: 'pretrain', metadata: { id: 7, tags: ['x'] } },
      { text: 'two', source: file, line: 3, stage: 'pretrain', metadata: { id: 8 } },
      { text: 'three', source: gz, line: 1, stage: 'midtrain', metadata: {} },
    ]);
  });

  it('names the missing text field and the fields present', async () => {
    const file = join(folder, 'x.jsonl');
    await writeFile(file, '{"text":"ok"}\n{"body":"b","id":1}\n');
    const error = await failure(readCorpusDocuments([{ path: file }]));
    expect(error.message).toBe(
      `${file}:2: no "text" field (fields present: body, id); name the text field with --text-field (e.g. --text-field body), or pass --skip-invalid to skip such lines`,
    );
    expect([error.file, error.line]).toEqual([file, 2]);
    await writeFile(file, '{"text":5}\n');
    expect((await failure(readCorpusDocuments([{ path: file }]))).message).toContain(`${file}:1: field "text" is a number, not a string`);
  });

  it('reports invalid JSON and invalid UTF-8 with file and line, or skips them with skipInvalid', async () => {
    const file = join(folder, 'x.jsonl');
    await writeFile(file, Buffer.concat([Buffer.from('{"text":"a"}\n{oops}\n'), Buffer.from([0x7b, 0x22, 0x74, 0x65, 0x78, 0x74, 0x22, 0x3a, 0x22, 0xfe, 0x22, 0x7d, 0x0a]), Buffer.from('{"x":1}\n{"text":"b"}\n')]));
    const error = await failure(readCorpusDocuments([{ path: file }]));
    expect(error.message).toMatch(new RegExp(`^${file}:2: not valid JSON .*; fix the line or pass --skip-invalid to skip it$`));
    const messages: string[] = [];
    const result = await readCorpusDocuments([{ path: file }], { skipInvalid: true, onInvalid: (e) => messages.push(e.message) });
    expect(result.documents.map((d) => d.text)).toEqual(['a', 'b']);
    expect(result.skipped).toBe(3);
    expect(messages[1]).toContain(`${file}:3: invalid UTF-8`);

    const text = join(folder, 'latin.txt');
    await writeFile(text, Buffer.from('line one\ncaf\xe9\n', 'latin1'));
    const utf8 = await failure(readCorpusDocuments([{ path: text }]));
    expect([utf8.file, utf8.line]).toEqual([text, 2]);
    expect(utf8.message).toContain('invalid UTF-8');
  });

  it('fails on a missing path, an unsupported file, and an empty corpus', async () => {
    const missing = join(folder, 'nope');
    expect((await failure(readCorpusDocuments([{ path: missing }]))).message).toBe(`${missing}: no such file or folder; check the corpus path`);
    const csv = join(folder, 'data.csv');
    await writeFile(csv, 'a,b');
    expect((await failure(listCorpusSources([{ path: csv }]))).message).toContain('unsupported file type ".csv"');
    const empty = join(folder, 'empty');
    await mkdir(empty);
    expect((await failure(readCorpusDocuments([{ path: empty }]))).message).toMatch(/^empty corpus in .*empty: no \.txt, \.md/);
    const blank = join(folder, 'blank.jsonl');
    await writeFile(blank, '{"text":""}\n{"text":"  "}\n');
    expect((await failure(readCorpusDocuments([{ path: blank }]))).message).toContain('all 2 documents have empty text');
  });

  it('streams documents and reports progress', async () => {
    const file = join(folder, 'many.jsonl');
    const lines = Array.from({ length: 25_000 }, (_, i) => JSON.stringify({ text: `doc ${i}` }));
    await writeFile(file, lines.join('\n'));
    const events: number[] = [];
    let count = 0;
    let last = '';
    for await (const document of readCorpus([{ path: file }], { onProgress: (e) => events.push(e.done) })) {
      count++;
      last = document.text;
    }
    expect(count).toBe(25_000);
    expect(last).toBe('doc 24999');
    expect(events).toEqual([0, 10_000, 20_000, 25_000]);
  });
});
