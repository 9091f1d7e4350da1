import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadCorpusIndex } from '@corpus-proximity/core';
import { startChatServer } from '../../namers/src/start-chat-server.js';
import { runCli } from './test-support/run-cli.js';

const work = mkdtempSync(join(tmpdir(), 'cp-rename-'));
const index = join(work, 'index');
const cache = join(work, 'cache');
const secret = 'sk-test-never-shown-0123456789abcdef';

beforeAll(async () => {
  const topics = ['sparrow robin wing feather nest beak', 'flour dough yeast oven bake crust', 'court judge lawyer trial verdict jury'];
  const lines = Array.from({ length: 300 }, (_, i) => {
    const words = topics[i % 3]!.split(' ');
    return JSON.stringify({ text: Array.from({ length: 8 }, (_, w) => words[(i * 5 + w * 7) % words.length]).join(' ') + ` item${i % 7}` });
  });
  writeFileSync(join(work, 'corpus.jsonl'), lines.join('\n'));
  writeFileSync(join(work, 'config.json'), JSON.stringify({ dimensions: 16, clustering: { maxDepth: 1 }, umap: { nComponents: 4 } }));
  // The synthetic corpus repeats lines exactly; keep every copy so the tree has clusters to name.
  const built = await runCli(['index', join(work, 'corpus.jsonl'), '--output', index, '--config', join(work, 'config.json'), '--keep-duplicates', '--yes', '-q']);
  expect(built.stderr).toContain('index written');
}, 300_000);

afterAll(() => rmSync(work, { recursive: true, force: true }));

describe('corpus-proximity rename with an OpenAI-compatible server', () => {
  it('renames every cluster through the server, caches the names, and never shows the key', async () => {
    const server = await startChatServer((request, i) => ({ content: JSON.stringify({ name: `Topic Number ${i} Here`, description: `About ${request.body.model}.` }) }));
    try {
      const env = { OPENAI_API_KEY: secret, XDG_CACHE_HOME: cache };
      const first = await runCli(['rename', '--index', index, '--namer', 'openai:test-model', '--naming-base-url', server.baseURL, '--naming-concurrency', '2'], { env });
      expect(first.code).toBe(0);
      const renamed = await loadCorpusIndex(index);
      const clusters = renamed.manifest.counts.clusters - 1;
      expect(clusters).toBeGreaterThanOrEqual(2);
      expect(server.requests).toHaveLength(clusters);
      for (const child of renamed.tree.children) {
        expect(child.name).toMatch(/^Topic Number \d+ Here$/);
        expect(child.naming).toBe('llm');
      }
      expect(server.requests[0]!.headers.authorization).toBe(`Bearer ${secret}`);
      const stats = JSON.parse(readFileSync(join(index, 'stats.json'), 'utf8'));
      expect(stats.naming.usage.calls).toBe(clusters);

      const second = await runCli(['rename', '--index', index, '--namer', 'openai:test-model', '--naming-base-url', server.baseURL, '--naming-concurrency', '2'], { env });
      expect(second.code).toBe(0);
      expect(server.requests).toHaveLength(clusters);
      for (const output of [first.stdout, first.stderr, second.stdout, second.stderr]) expect(output).not.toContain(secret);
      for (const file of ['stats.json', 'config.json', 'tree.json', 'manifest.json']) expect(readFileSync(join(index, file), 'utf8')).not.toContain(secret);
    } finally {
      await server.close();
    }
  });

  it('names clusters through the server while indexing, and records call counts in stats.json', async () => {
    const server = await startChatServer((_, i) => ({ content: JSON.stringify({ name: `Indexed Topic ${i}`, description: 'x.' }) }));
    try {
      const output = join(work, 'llm-index');
      const built = await runCli(['index', join(work, 'corpus.jsonl'), '--output', output, '--config', join(work, 'config.json'), '--namer', 'openai:index-model', '--naming-base-url', server.baseURL, '--naming-concurrency', '3', '--keep-duplicates', '--yes', '-q'], { env: { OPENAI_API_KEY: secret, XDG_CACHE_HOME: cache } });
      expect(built.code).toBe(0);
      const stats = JSON.parse(readFileSync(join(output, 'stats.json'), 'utf8'));
      expect(stats.naming.usage.calls).toBe(server.requests.length);
      expect(stats.naming.usage.calls).toBeGreaterThanOrEqual(2);
      expect(server.maxInFlight()).toBeLessThanOrEqual(3);
      expect(built.stderr).not.toContain(secret);
    } finally {
      await server.close();
    }
  });

  it('renames an unchanged tree with the model it was indexed with from the cache, whatever the concurrency', async () => {
    const server = await startChatServer((request) => {
      const prompt = JSON.stringify(request.body);
      return { content: JSON.stringify({ name: `Named ${prompt.length % 997}`, description: 'x.' }) };
    });
    try {
      const output = join(work, 'cached-index');
      const env = { OPENAI_API_KEY: secret, XDG_CACHE_HOME: join(work, 'cache-unchanged') };
      const built = await runCli(['index', join(work, 'corpus.jsonl'), '--output', output, '--config', join(work, 'config.json'), '--keep-duplicates', '--namer', 'openai:same-model', '--naming-base-url', server.baseURL, '--naming-concurrency', '1', '--yes', '-q'], { env });
      expect(built.code).toBe(0);
      const asked = server.requests.length;
      expect(asked).toBeGreaterThanOrEqual(2);
      const renamed = await runCli(['rename', '--index', output, '--namer', 'openai:same-model', '--naming-base-url', server.baseURL, '--naming-concurrency', '8'], { env });
      expect(renamed.code).toBe(0);
      expect(server.requests.length).toBe(asked);
      expect(JSON.parse(readFileSync(join(output, 'stats.json'), 'utf8')).naming.usage).toMatchObject({ calls: 0, cachedHits: asked });
    } finally {
      await server.close();
    }
  });

  it('falls back to keyword names when the server fails for good, and says so', async () => {
    const server = await startChatServer(() => ({ status: 400, json: { error: { message: 'bad request' } } }));
    try {
      const result = await runCli(['rename', '--index', index, '--namer', 'openai:other-model', '--naming-base-url', server.baseURL], { env: { OPENAI_API_KEY: secret, XDG_CACHE_HOME: cache } });
      // Every call failed: exit 1 (issue 14 item 3), the keyword names are still written.
      expect(result.code).toBe(1);
      expect(result.stderr).toContain('fell back to keywords');
      const renamed = await loadCorpusIndex(index);
      for (const child of renamed.tree.children) expect(child.naming).toBe('keywords-fallback');
      expect(result.stderr).not.toContain(secret);
    } finally {
      await server.close();
    }
  });
});
