import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { decodeUtf8, invalidUtf8Offset } from './decode-utf8.js';
import { InvalidInputError } from '../errors.js';
import { parseJsonlText, readJsonlRecords } from './read-jsonl-records.js';
import { readLines } from './read-lines.js';

let folder: string;
beforeEach(async () => {
  folder = await mkdtemp(join(tmpdir(), 'cp-jsonl-'));
});
afterEach(async () => {
  await rm(folder, { recursive: true, force: true });
});

async function collect<T>(iterable: AsyncIterable<T>): Promise<T[]> {
  const items: T[] = [];
  for await (const item of iterable) items.push(item);
  return items;
}

async function* pieces(text: string, size: number): AsyncGenerator<Uint8Array> {
  const bytes = Buffer.from(text);
  for (let i = 0; i < bytes.length; i += size) yield bytes.subarray(i, i + size);
}

describe('readLines', () => {
  it('splits lines across piece boundaries, strips CR and keeps a last line without newline', async () => {
    const text = 'alpha\r\nbé\n\nlong line ' + 'x'.repeat(50) + '\nlast';
    for (const size of [1, 3, 7, 1000]) {
      const lines = await collect(readLines(pieces(text, size)));
      expect(lines.map((l) => [l.line, l.bytes.toString()])).toEqual([
        [1, 'alpha'],
        [2, 'bé'],
        [3, ''],
        [4, 'long line ' + 'x'.repeat(50)],
        [5, 'last'],
      ]);
    }
  });
});

describe('readJsonlRecords', () => {
  it('reads objects with line numbers, ignoring blank lines, from a file or a stream', async () => {
    const text = '{"a":1}\n\n  \n{"b":"é"}\r\n';
    const file = join(folder, 'x.jsonl');
    await writeFile(file, text);
    const expected = [
      { line: 1, value: { a: 1 } },
      { line: 4, value: { b: 'é' } },
    ];
    expect(await collect(readJsonlRecords(file))).toEqual(expected);
    expect(await collect(readJsonlRecords(pieces(text, 2), { name: 'stdin' }))).toEqual(expected);
    expect(parseJsonlText(text, 'x')).toEqual(expected);
  });

  it('names file and line of a malformed line and suggests --skip-invalid', async () => {
    const file = join(folder, 'bad.jsonl');
    await writeFile(file, '{"a":1}\n{"a":\n[1,2]\n');
    const error = await collect(readJsonlRecords(file)).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(InvalidInputError);
    expect((error as InvalidInputError).line).toBe(2);
    expect((error as InvalidInputError).file).toBe(file);
    expect((error as Error).message).toMatch(new RegExp(`^${file}:2: not valid JSON \\(.+\\); fix the line or pass --skip-invalid to skip it$`));
    expect(() => parseJsonlText('[1,2]', 'mem')).toThrow('mem:1: expected a JSON object per line, got an array');
    expect(() => parseJsonlText('\n"s"', 'mem')).toThrow('mem:2: expected a JSON object per line, got a string');
  });

  it('skips and reports malformed lines with skipInvalid', async () => {
    const file = join(folder, 'mixed.jsonl');
    await writeFile(file, Buffer.concat([Buffer.from('{"ok":1}\nnope\n'), Buffer.from([0x7b, 0xff, 0x7d, 0x0a]), Buffer.from('null\n{"ok":2}')]));
    const skipped: InvalidInputError[] = [];
    const records = await collect(readJsonlRecords(file, { skipInvalid: true, onInvalid: (e) => skipped.push(e) }));
    expect(records).toEqual([
      { line: 1, value: { ok: 1 } },
      { line: 5, value: { ok: 2 } },
    ]);
    expect(skipped.map((e) => e.line)).toEqual([2, 3, 4]);
    expect(skipped[1]!.message).toContain('invalid UTF-8');
  });

  it('drops a byte-order mark at the start', async () => {
    expect(parseJsonlText('\uFEFF{"a":1}', 'bom')).toEqual([{ line: 1, value: { a: 1 } }]);
    const file = join(folder, 'bom.jsonl');
    await writeFile(file, '\uFEFF{"a":1}\n');
    expect(await collect(readJsonlRecords(file))).toEqual([{ line: 1, value: { a: 1 } }]);
  });
});

describe('decodeUtf8', () => {
  it('finds the line of the first invalid byte', () => {
    const bytes = Buffer.concat([Buffer.from('ok\nfine é\n'), Buffer.from([0x61, 0xc3, 0x28])]);
    expect(() => decodeUtf8(bytes, 'f.txt')).toThrow(/^f\.txt:3: invalid UTF-8 \(byte 0xc3 at byte 12\)/);
    expect(decodeUtf8(Buffer.from('plain é 😀'), 'x')).toBe('plain é 😀');
  });

  it('agrees with TextDecoder on overlongs, surrogates and truncated sequences', () => {
    const cases: number[][] = [[0xc0, 0x80], [0xed, 0xa0, 0x80], [0xf4, 0x90, 0x80, 0x80], [0xe2, 0x82], [0x41, 0xf0, 0x9f, 0x98, 0x80]];
    for (const bytes of cases) {
      const array = Uint8Array.from(bytes);
      let valid = true;
      try {
        new TextDecoder('utf-8', { fatal: true }).decode(array);
      } catch {
        valid = false;
      }
      expect(invalidUtf8Offset(array) === array.length).toBe(valid);
    }
  });
});
