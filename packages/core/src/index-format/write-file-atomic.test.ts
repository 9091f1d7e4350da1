import { createHash } from 'node:crypto';
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { sha256Bytes, sha256File } from './sha256-file.js';
import { createAtomicFileWriter, writeFileAtomic } from './write-file-atomic.js';

let folder: string;
beforeEach(async () => {
  folder = await mkdtemp(join(tmpdir(), 'cp-atomic-'));
});
afterEach(async () => {
  await rm(folder, { recursive: true, force: true });
});

describe('writeFileAtomic', () => {
  it('writes the bytes, replaces an existing file, creates folders and leaves no temporary file', async () => {
    const path = join(folder, 'sub', 'a.txt');
    await writeFileAtomic(path, 'old');
    const written = await writeFileAtomic(path, 'héllo');
    expect(await readFile(path, 'utf8')).toBe('héllo');
    expect(written.bytes).toBe(Buffer.byteLength('héllo'));
    expect(written.sha256).toBe(createHash('sha256').update('héllo').digest('hex'));
    expect(await readdir(join(folder, 'sub'))).toEqual(['a.txt']);
  });

  it('streams many pieces, large and small, into one file with the right checksum', async () => {
    const path = join(folder, 'big.bin');
    const writer = await createAtomicFileWriter(path);
    const expected = createHash('sha256');
    const reused = new Uint8Array(10);
    for (let i = 0; i < 300; i++) {
      const piece = i % 50 === 0 ? new Uint8Array(1 << 20).fill(i % 251) : reused.fill(i % 256);
      expected.update(piece);
      await writer.write(piece);
    }
    const written = await writer.commit();
    expect(written.sha256).toBe(expected.digest('hex'));
    expect(await sha256File(path)).toEqual({ sha256: written.sha256, bytes: 6 * (1 << 20) + 294 * 10 });
  });

  it('abort removes the temporary file and keeps the old file', async () => {
    const path = join(folder, 'keep.txt');
    await writeFile(path, 'original');
    const writer = await createAtomicFileWriter(path);
    await writer.write('partial');
    await writer.abort();
    expect(await readFile(path, 'utf8')).toBe('original');
    expect(await readdir(folder)).toEqual(['keep.txt']);
  });

  it('hashes bytes in memory the same as on disk', async () => {
    const path = join(folder, 'x');
    await writeFile(path, 'abc');
    expect((await sha256File(path)).sha256).toBe(sha256Bytes('abc'));
    expect(sha256Bytes('abc')).toBe('ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad');
  });
});
