import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { startChatServer } from '../../namers/src/start-chat-server.js';
import { runCli } from './test-support/run-cli.js';
import { writeSmallCorpus } from './test-support/small-corpus.js';

const work = mkdtempSync(join(tmpdir(), 'cp-hygiene-'));
const { corpus, config } = writeSmallCorpus(work);
afterAll(() => rmSync(work, { recursive: true, force: true }));

describe('exit codes and warnings (issue 14 item 13)', () => {
  it('exits 2 on usage mistakes and 0 on --help, as docs/cli.md promises', async () => {
    const unknown = await runCli(['index', corpus, '--bogus']);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain("unknown option '--bogus'");
    const missing = await runCli(['annotate', 'outputs.jsonl']);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain("required option '--index <dir>' not specified");
    expect((await runCli(['index', '--help'])).code).toBe(0);
    expect((await runCli(['--version'])).code).toBe(0);
  });

  it('prints our warnings as `warning:` lines, never Node raw (node:PID) lines, also with -q', async () => {
    // 1,000 LSA dimensions on a corpus with fewer terms: the embedder warns that it reduced them.
    writeFileSync(join(work, 'wide.json'), JSON.stringify({ dimensions: 1000, clustering: { maxDepth: 1 }, umap: { nComponents: 4 } }));
    const result = await runCli(['index', corpus, '--output', join(work, 'warned'), '--config', join(work, 'wide.json'), '--yes', '-q']);
    expect(result.code).toBe(0);
    expect(result.stderr).toMatch(/^warning: lsa: reduced dimensions/m);
    expect(result.stderr).not.toMatch(/\(node:\d+\)|--trace-warnings/);
  });

  it('names clusters through an LLM with retries without a MaxListenersExceededWarning', async () => {
    // Each prompt fails three times (retryable) and then succeeds: 4 requests per cluster.
    const attempts = new Map<string, number>();
    const server = await startChatServer((request, i) => {
      const seen = attempts.get(request.prompt) ?? 0;
      attempts.set(request.prompt, seen + 1);
      return seen < 3 ? { status: 503, headers: { 'retry-after': '0' }, json: { error: { message: 'busy' } } } : { content: JSON.stringify({ name: `Topic ${i}`, description: 'd' }) };
    });
    try {
      const result = await runCli(['index', corpus, '--output', join(work, 'named'), '--config', config, '--yes', '--namer', 'openai:m', '--naming-base-url', server.baseURL, '--naming-concurrency', '2'], {
        env: { OPENAI_API_KEY: 'sk-test', XDG_CACHE_HOME: join(work, 'cache') },
      });
      expect(result.code).toBe(0);
      expect(server.requests.length).toBeGreaterThan(12);
      expect(result.stderr).not.toContain('MaxListenersExceededWarning');
    } finally {
      await server.close();
    }
  });

  it('runs the ONNX embedder with device auto on a machine without a GPU without a CUDA warning', async (context) => {
    if (existsSync('/dev/nvidiactl') || existsSync('/dev/nvidia0')) return context.skip();
    const model = join(work, 'tiny-bert');
    expect((await runCli(['tiny-model', '--out', model])).code).toBe(0);
    writeFileSync(join(work, 'onnx-config.json'), JSON.stringify({ clustering: { maxDepth: 1 }, umap: { nComponents: 4 } }));
    const result = await runCli(['index', corpus, '--output', join(work, 'onnx'), '--config', join(work, 'onnx-config.json'), '--embedder', `onnx:${model}`, '--yes', '-q']);
    expect(result.code).toBe(0);
    expect(result.stderr).not.toMatch(/CUDA|cuda/);
  });
});
