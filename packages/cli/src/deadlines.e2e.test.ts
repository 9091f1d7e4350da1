import { execFileSync, spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { loadCorpusIndex } from '@corpus-proximity/core';
import { runCli } from './test-support/run-cli.js';
import { writeSmallCorpus } from './test-support/small-corpus.js';
import { startEmbeddingsServer } from './test-support/start-embeddings-server.js';

const work = mkdtempSync(join(tmpdir(), 'cp-deadlines-'));
const { corpus, config } = writeSmallCorpus(work);
afterAll(() => rmSync(work, { recursive: true, force: true }));

describe('deadlines instead of silent hangs (issue 14 item 11)', () => {
  it('stops within the timeout on a named pipe nobody writes to, naming it', async () => {
    const fifo = join(work, 'waiting.jsonl');
    execFileSync('mkfifo', [fifo]);
    const started = Date.now();
    const result = await runCli(['index', fifo, '--output', join(work, 'fifo-index'), '--config', config, '--request-timeout', '1', '--yes', '-q']);
    expect(Date.now() - started).toBeLessThan(15_000);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain(`${fifo} is a named pipe and nothing opened it for writing within 1 s`);
  });

  it('reads a named pipe that has a writer', async () => {
    const fifo = join(work, 'fed.jsonl');
    execFileSync('mkfifo', [fifo]);
    const writer = spawn('sh', ['-c', `cat "${corpus}" > "${fifo}"`], { stdio: 'ignore' });
    const written = new Promise((resolve) => writer.on('close', resolve));
    const result = await runCli(['index', fifo, '--output', join(work, 'fed-index'), '--config', config, '--yes', '-q']);
    expect(await written).toBe(0);
    expect(result.stderr).toContain(`read the named pipe ${fifo}`);
    expect(result.code).toBe(0);
    expect((await loadCorpusIndex(join(work, 'fed-index'))).count).toBe(readFileSync(corpus, 'utf8').trim().split('\n').length);
  });

  it('retries an embeddings server that accepts but never answers, then reports it with the timeout', async () => {
    const server = await startEmbeddingsServer({ dimensions: 8, stall: true });
    try {
      const started = Date.now();
      const result = await runCli(['index', corpus, '--output', join(work, 'stalled'), '--config', config, '--embedder', 'openai:stuck', '--dimensions', '8', '--embedding-base-url', server.baseURL, '--request-timeout', '1', '--yes', '-q'], { env: { OPENAI_API_KEY: 'sk-test' } });
      const seconds = (Date.now() - started) / 1000;
      expect(result.code).toBe(1);
      expect(result.stderr).toContain('got no answer within 1 s, 6 times');
      expect(result.stderr).toContain('--request-timeout');
      expect(server.requests()).toBe(6);
      expect(seconds).toBeLessThan(60);
    } finally {
      await server.close();
    }
  });
});
