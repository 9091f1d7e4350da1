import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { loadCorpusIndex } from '@corpus-proximity/core';
import { encodeNpy } from '@corpus-proximity/core/internal';
import { runCli } from './test-support/run-cli.js';
import { writeSmallCorpus } from './test-support/small-corpus.js';
import { startEmbeddingsServer } from './test-support/start-embeddings-server.js';

const work = mkdtempSync(join(tmpdir(), 'cp-advice-'));
const { corpus, config } = writeSmallCorpus(work);
afterAll(() => rmSync(work, { recursive: true, force: true }));
const preset = new URL('../../../configs/quick-test.json', import.meta.url).pathname;

describe('advice that applies (issue 14 item 12)', () => {
  it('says a punctuation-only corpus has no words, not to lower a threshold no flag sets', async () => {
    const file = join(work, 'punctuation.jsonl');
    writeFileSync(file, `${Array.from({ length: 40 }, (_, i) => JSON.stringify({ text: `${'!?.-'.repeat((i % 5) + 1)} … ***` })).join('\n')}\n`);
    const result = await runCli(['index', file, '--output', join(work, 'punctuation'), '--yes', '-q']);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('hold no letters or digits');
    expect(result.stderr).not.toContain('minDocumentFrequency');
  });

  it('recognizes a UTF-16 file by its byte order mark and says how to convert it', async () => {
    const file = join(work, 'notes.txt');
    writeFileSync(file, Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from('Some notes about birds.\n', 'utf16le')]));
    const result = await runCli(['index', file, '--output', join(work, 'utf16'), '--yes', '-q']);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('looks like UTF-16LE');
    expect(result.stderr).toContain('iconv -f UTF-16LE -t utf-8');
    expect(result.stderr).not.toContain('latin1');
  });

  it('learns the vector size of an openai: model from one call, or takes --dimensions', async () => {
    const server = await startEmbeddingsServer({ dimensions: 12 });
    try {
      const learned = await runCli(['index', corpus, '--output', join(work, 'openai'), '--config', config, '--embedder', 'openai:my-model', '--embedding-base-url', server.baseURL, '--yes', '-q'], { env: { OPENAI_API_KEY: 'sk-test' } });
      expect(learned.stderr).not.toContain('pass dimensions');
      expect(learned.code).toBe(0);
      expect((await loadCorpusIndex(join(work, 'openai'))).dimension).toBe(12);
      const given = await runCli(['index', corpus, '--output', join(work, 'openai-given'), '--config', config, '--embedder', 'openai:my-model', '--dimensions', '12', '--embedding-base-url', server.baseURL, '--yes', '-q'], { env: { OPENAI_API_KEY: 'sk-test' } });
      expect(given.code).toBe(0);
      const wrong = await runCli(['index', corpus, '--output', join(work, 'openai-wrong'), '--config', config, '--embedder', 'openai:my-model', '--dimensions', '7', '--embedding-base-url', server.baseURL, '--yes', '-q'], { env: { OPENAI_API_KEY: 'sk-test' } });
      expect(wrong.code).toBe(1);
      expect(wrong.stderr).toMatch(/returned 12 dimensions, expected 7/);
    } finally {
      await server.close();
    }
  });

  it('names the missing folder of onnx:/missing instead of asking for dimensions', async () => {
    const result = await runCli(['index', corpus, '--output', join(work, 'onnx-missing'), '--embedder', `onnx:${join(work, 'no-model')}`, '--yes', '-q']);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain(join(work, 'no-model'));
    expect(result.stderr).not.toContain('pass dimensions');
  });

  it('takes --embeddings with a shipped preset, and --embedder none', async () => {
    const rows = 60;
    const dimension = 8;
    const values = new Float32Array(rows * dimension);
    for (let row = 0; row < rows; row++) values[row * dimension + (row % dimension)] = 1;
    const npy = join(work, 'emb.npy');
    writeFileSync(npy, encodeNpy(values, [rows, dimension], 'float32'));
    const chunks = join(work, 'chunks.jsonl');
    writeFileSync(chunks, `${Array.from({ length: rows }, (_, i) => JSON.stringify({ text: `chunk ${i} of topic ${i % dimension}` })).join('\n')}\n`);
    const withPreset = await runCli(['index', '--embeddings', npy, '--chunks', chunks, '--output', join(work, 'pre-preset'), '--config', preset, '--yes', '-q']);
    expect(withPreset.stderr).toContain('leaving out the config\'s embedder "lsa"');
    expect(withPreset.code).toBe(0);
    const none = await runCli(['index', '--embeddings', npy, '--chunks', chunks, '--output', join(work, 'pre-none'), '--embedder', 'none', '--yes', '-q']);
    expect(none.code).toBe(0);
    expect(JSON.parse(readFileSync(join(work, 'pre-none', 'manifest.json'), 'utf8')).embedder.provider).toBe('precomputed');
    const noneAlone = await runCli(['index', corpus, '--output', join(work, 'none-alone'), '--embedder', 'none', '--yes', '-q']);
    expect(noneAlone.code).toBe(2);
    expect(noneAlone.stderr).toContain('--embedder none only goes with --embeddings');
  });
});
