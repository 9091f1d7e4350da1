import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { loadCorpusIndex } from '@corpus-proximity/core';
import { startChatServer } from '../../namers/src/start-chat-server.js';
import { runCli } from './test-support/run-cli.js';
import { writeSmallCorpus } from './test-support/small-corpus.js';

const work = mkdtempSync(join(tmpdir(), 'cp-naming-'));
const { corpus, config } = writeSmallCorpus(work);
const env = { OPENAI_API_KEY: 'sk-test-never-shown-0123456789', XDG_CACHE_HOME: join(work, 'cache') };
afterAll(() => rmSync(work, { recursive: true, force: true }));

describe('LLM naming failures are loud (issue 14 item 3)', () => {
  it('exits 1 when every call fails, with the count, the cause and the rename command; the index is written', async () => {
    const server = await startChatServer(() => ({ status: 401, json: { error: { message: 'Incorrect API key provided: sk-te************6789', type: 'invalid_request_error' } } }));
    try {
      const output = join(work, 'all-failed');
      const result = await runCli(['index', corpus, '--output', output, '--config', config, '--yes', '-q', '--namer', 'openai:test-model', '--naming-base-url', server.baseURL], { env });
      expect(result.code).toBe(1);
      const clusters = (await loadCorpusIndex(output)).manifest.counts.clusters - 1;
      expect(result.stderr).toContain(`error: ${clusters} of ${clusters} naming calls to openai:test-model failed`);
      expect(result.stderr).toMatch(/401|API key/);
      expect(result.stderr).toContain(`corpus-proximity rename --index ${output} --namer openai:test-model --naming-base-url ${server.baseURL}`);
      expect(result.stderr).toContain('is written and usable');
      expect(result.stderr).not.toContain(env.OPENAI_API_KEY);
      expect(JSON.parse(readFileSync(join(output, 'stats.json'), 'utf8')).naming.failures).toBe(clusters);
    } finally {
      await server.close();
    }
  });

  it('warns (exit 0) when some calls fail, and exits 1 with --strict-naming', async () => {
    let failNext = true;
    const server = await startChatServer((_request, i) => (failNext && !(failNext = false) ? { status: 400, json: { error: { message: 'context length exceeded' } } } : { content: JSON.stringify({ name: `Topic ${i}`, description: 'd' }) }));
    try {
      const args = (output: string) => ['index', corpus, '--output', join(work, output), '--config', config, '--yes', '-q', '--namer', 'openai:partial', '--naming-base-url', server.baseURL, '--naming-concurrency', '1'];
      const lenient = await runCli(args('some-failed'), { env: { ...env, XDG_CACHE_HOME: join(work, 'cache-1') } });
      expect(lenient.code).toBe(0);
      expect(lenient.stderr).toMatch(/warning: 1 of \d+ naming calls to openai:partial failed/);
      expect(lenient.stderr).toContain('context length exceeded');
      failNext = true;
      const strict = await runCli([...args('strict'), '--strict-naming'], { env: { ...env, XDG_CACHE_HOME: join(work, 'cache-2') } });
      expect(strict.stderr).toMatch(/error: 1 of \d+ naming calls/);
      expect(strict.code).toBe(1);
      expect((await loadCorpusIndex(join(work, 'strict'))).count).toBe(300);
    } finally {
      await server.close();
    }
  });
});
