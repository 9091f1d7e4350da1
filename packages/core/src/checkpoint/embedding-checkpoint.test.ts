import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { npyHeader } from '../index-format/encode-npy.js';
import { createAtomicFileWriter } from '../index-format/write-file-atomic.js';
import { openEmbeddingCheckpoint, type EmbeddingCheckpointIdentity, type ShardWriter } from './embedding-checkpoint.js';

const work = mkdtempSync(join(tmpdir(), 'cp-checkpoint-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

const dimension = 4;
const identity: EmbeddingCheckpointIdentity = { chunkCount: 30, dimension, embedderId: 'mock:m', embedderFingerprint: 'f1', chunksSha256: 'c1' };
// Row r is the unit vector along dimension r % 4, scaled so rows differ in sign by shard.
const rowsOf = (start: number, end: number) => {
  const rows = new Float32Array((end - start) * dimension);
  for (let row = start; row < end; row++) rows[(row - start) * dimension + (row % dimension)] = row % 2 ? -1 : 1;
  return rows;
};

describe('openEmbeddingCheckpoint', () => {
  it('resumes from verified shards and reads their rows back', async () => {
    const directory = join(work, 'resume');
    const first = await openEmbeddingCheckpoint({ workDirectory: directory, identity, rows: new Float32Array(30 * dimension) });
    expect(first.rowsDone).toBe(0);
    await first.appendShard(0, rowsOf(0, 10));
    await first.appendShard(10, rowsOf(10, 20), { reusedFromCache: 4 });
    await expect(first.appendShard(25, rowsOf(25, 30))).rejects.toThrow(/continue the checkpoint at row 20/);

    const rows = new Float32Array(30 * dimension);
    const second = await openEmbeddingCheckpoint({ workDirectory: directory, identity, rows, onWarning: (message) => expect.fail(message) });
    expect(second.rowsDone).toBe(20);
    expect(rows.subarray(0, 20 * dimension)).toEqual(rowsOf(0, 20));
    expect(second.progress.shards.map((shard) => [shard.file, shard.start, shard.end, shard.reused_from_cache])).toEqual([
      ['shard_00000.npy', 0, 10, 0],
      ['shard_00001.npy', 10, 20, 4],
    ]);
    const progress = JSON.parse(readFileSync(join(directory, 'progress.json'), 'utf8'));
    expect(progress).toMatchObject({ chunk_count: 30, dimension, embedder_id: 'mock:m', embedder_fingerprint: 'f1', chunks_sha256: 'c1', rows_done: 20 });
    expect(progress.shards[0].sha256).toMatch(/^[0-9a-f]{64}$/);
  });

  it('starts over with a warning when the chunks or the embedder state changed', async () => {
    const directory = join(work, 'identity');
    const first = await openEmbeddingCheckpoint({ workDirectory: directory, identity, rows: new Float32Array(30 * dimension) });
    await first.appendShard(0, rowsOf(0, 10));
    const warnings: string[] = [];
    const refit = await openEmbeddingCheckpoint({
      workDirectory: directory,
      identity: { ...identity, embedderFingerprint: 'f2' },
      rows: new Float32Array(30 * dimension),
      onWarning: (message) => warnings.push(message),
    });
    expect(refit.rowsDone).toBe(0);
    expect(warnings.join('\n')).toMatch(/another state.*starting the embedding over/);
    expect(readdirSync(join(directory, 'embeddings'))).toEqual([]);
    await refit.appendShard(0, rowsOf(0, 10));
    warnings.length = 0;
    await openEmbeddingCheckpoint({ workDirectory: directory, identity: { ...identity, embedderFingerprint: 'f2', chunksSha256: 'c2' }, rows: new Float32Array(30 * dimension), onWarning: (message) => warnings.push(message) });
    expect(warnings.join('\n')).toMatch(/other chunk texts/);
  });

  it('discards a corrupted shard and every later one, and removes shard files progress.json does not list', async () => {
    const directory = join(work, 'corrupt');
    const first = await openEmbeddingCheckpoint({ workDirectory: directory, identity, rows: new Float32Array(30 * dimension) });
    for (const start of [0, 10, 20]) await first.appendShard(start, rowsOf(start, start + 10));
    const shardPath = join(directory, 'embeddings', 'shard_00001.npy');
    const bytes = readFileSync(shardPath);
    bytes[bytes.length - 1] = bytes[bytes.length - 1]! ^ 0xff;
    writeFileSync(shardPath, bytes);
    writeFileSync(join(directory, 'embeddings', 'shard_00007.npy'), 'left by a crash');
    const warnings: string[] = [];
    const second = await openEmbeddingCheckpoint({ workDirectory: directory, identity, rows: new Float32Array(30 * dimension), onWarning: (message) => warnings.push(message) });
    expect(second.rowsDone).toBe(10);
    expect(warnings).toEqual([expect.stringMatching(/shard_00001\.npy \(rows 10–19\) fails its sha256 check.*and 1 later shard\(s\); re-embedding from row 10/)]);
    expect(readdirSync(join(directory, 'embeddings'))).toEqual(['shard_00000.npy']);
  });

  it('keeps the previous checkpoint valid when the disk fills up while a shard is written', async () => {
    const directory = join(work, 'disk-full');
    let full = false;
    // Writes the header and then fails like a full disk would, as the real writer's abort path does.
    const writeShard: ShardWriter = async (path, data, shape) => {
      const writer = await createAtomicFileWriter(path);
      try {
        await writer.write(npyHeader(shape, 'float32'));
        if (full) throw Object.assign(new Error('ENOSPC: no space left on device, write'), { code: 'ENOSPC' });
        await writer.write(new Uint8Array(data.buffer, data.byteOffset, data.byteLength));
        return await writer.commit();
      } catch (error) {
        await writer.abort();
        throw error;
      }
    };
    const first = await openEmbeddingCheckpoint({ workDirectory: directory, identity, rows: new Float32Array(30 * dimension), writeShard });
    await first.appendShard(0, rowsOf(0, 10));
    full = true;
    const error = await first.appendShard(10, rowsOf(10, 20)).catch((caught: Error & { code?: string }) => caught);
    expect(error).toMatchObject({ code: 'ENOSPC' });
    expect((error as Error).message).toMatch(/shard_00001\.npy \(rows 10–19\): the disk is full\. The checkpoint up to row 10 is intact; free some space and rerun/);
    expect(readdirSync(join(directory, 'embeddings'))).toEqual(['shard_00000.npy']);
    expect(JSON.parse(readFileSync(join(directory, 'progress.json'), 'utf8')).rows_done).toBe(10);
    const rows = new Float32Array(30 * dimension);
    const resumed = await openEmbeddingCheckpoint({ workDirectory: directory, identity, rows, onWarning: (message) => expect.fail(message) });
    expect(resumed.rowsDone).toBe(10);
    expect(rows.subarray(0, 10 * dimension)).toEqual(rowsOf(0, 10));
    await resumed.remove();
    expect(existsSync(join(directory, 'progress.json'))).toBe(false);
    expect(existsSync(join(directory, 'embeddings'))).toBe(false);
  });
});
