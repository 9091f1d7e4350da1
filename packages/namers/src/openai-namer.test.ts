import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AbortedError, nameClusterTree, type ClusterNode, type NamingRequest } from '@corpus-proximity/core';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { NamingError } from './naming-error.js';
import { createOpenAINamer } from './openai-namer.js';
import { startChatServer, type ChatReply, type RecordedChatRequest } from './start-chat-server.js';

type Server = Awaited<ReturnType<typeof startChatServer>>;
let server: Server | undefined;
let directory: string;

beforeEach(async () => {
  vi.stubEnv('OPENAI_API_KEY', '');
  vi.stubEnv('OPENAI_BASE_URL', '');
  directory = await mkdtemp(join(tmpdir(), 'namer-cache-'));
});
afterEach(async () => {
  vi.unstubAllEnvs();
  await server?.close();
  server = undefined;
  await rm(directory, { recursive: true, force: true });
});

/** Names a cluster after the topic words its first sample carries: "topic-1 sub-1-2" → "Subtopic 1 2" under a parent. */
const byTopic = (request: RecordedChatRequest): ChatReply => {
  const first = /\n1\. .*?topic-(\d+) sub-(\d+)-(\d+)/.exec(request.prompt)!;
  const isChild = request.prompt.includes('It is a subcluster of');
  const name = isChild ? `Subtopic ${first[2]} ${first[3]}` : `Topic ${first[1]}`;
  return { content: JSON.stringify({ name, description: `Texts about ${name}.` }), delayMs: 10 };
};

const start = async (reply: (r: RecordedChatRequest, i: number) => ChatReply | Promise<ChatReply>) => (server = await startChatServer(reply));

function request(extra: Partial<NamingRequest> = {}): NamingRequest {
  return { clusterId: '0.1', depth: 1, samples: ['a sample about birds', 'another about wings'], texts: [], siblingTexts: [], parentPath: [], siblingNames: [], ...extra };
}

/** Root → 3 topics → 3 subtopics, 4 chunks each, with simple 3-d embeddings. */
function tree() {
  const chunks: string[] = [];
  const embeddings: number[] = [];
  const members = new Map<string, number[]>();
  const node = (cluster_id: string, depth: number, centroid_row: number): ClusterNode => ({
    cluster_id, name: '', depth, size: 0, silhouette: null, split_silhouette: null, noise_count: 0, samples: [], centroid_row, children: [],
  });
  const root = node('0', 0, 0);
  for (let i = 0; i < 3; i++) {
    const topic = node(`0.${i}`, 1, 1 + i);
    root.children.push(topic);
    for (let k = 0; k < 3; k++) {
      const sub = node(`0.${i}.${k}`, 2, 4 + i * 3 + k);
      topic.children.push(sub);
      for (let n = 0; n < 4; n++) {
        chunks.push(`text ${n} of topic-${i} sub-${i}-${k}`);
        embeddings.push(...[0, 1, 2].map((d) => (d === i ? 1 : 0.1 * k)));
        for (const id of [topic.cluster_id, sub.cluster_id]) members.set(id, [...(members.get(id) ?? []), chunks.length - 1]);
      }
    }
  }
  return { root, chunks, embeddings: Float32Array.from(embeddings), dimension: 3, centroids: new Float32Array(0), members };
}

describe('createOpenAINamer', () => {
  it('names a tree breadth-first with parent and sibling names in the prompts', async () => {
    const { baseURL, requests, maxInFlight } = await start(byTopic);
    const namer = createOpenAINamer({ baseURL, apiKey: 'sk-local', model: 'test-model', concurrency: 4 });
    const data = tree();
    const result = await nameClusterTree(data.root, { ...data, namer, concurrency: 2, siblingContextLag: 2, seed: 1 });
    expect(result).toEqual({ calls: 12, failures: 0, errors: [] });
    expect(data.root.children.map((c) => c.name)).toEqual(['Topic 0', 'Topic 1', 'Topic 2']);
    expect(data.root.children[1]!.children.map((c) => c.name)).toEqual(['Subtopic 1 0', 'Subtopic 1 1', 'Subtopic 1 2']);
    expect(data.root.children[1]!.naming).toBe('llm');
    const third = requests.filter((r) => /\n1\. text \d of topic-1 sub-1-2/.test(r.prompt) && r.prompt.includes('subcluster'));
    expect(third).toHaveLength(1);
    expect(third[0]!.prompt).toContain('It is a subcluster of: "Topic 1"');
    expect(third[0]!.prompt).toContain('already named "Subtopic 1 0", "Subtopic 1 1"');
    expect(requests.find((r) => r.prompt.includes('1. text 0 of topic-2'))!.prompt).toContain('already named "Topic 0"');
    expect(requests.every((r) => r.body.model === 'test-model' && r.headers.authorization === 'Bearer sk-local')).toBe(true);
    expect(maxInFlight()).toBe(2);
    expect(namer.usage()).toMatchObject({ calls: 12, cachedHits: 0, failures: 0 });
    expect(namer.usage().promptTokens).toBeGreaterThan(0);
  });

  it('keeps calls in flight bounded by its own concurrency, and above one', async () => {
    const { baseURL, maxInFlight, requests } = await start(() => ({ content: '{"name": "Bird Anatomy"}', delayMs: 30 }));
    const namer = createOpenAINamer({ baseURL, concurrency: 3 });
    const names = await Promise.all(Array.from({ length: 12 }, (_, i) => namer.doName(request({ clusterId: `0.${i}` }))));
    expect(names.every((n) => n.name === 'Bird Anatomy')).toBe(true);
    expect(requests).toHaveLength(12);
    expect(maxInFlight()).toBe(3);
  });

  it('waits the Retry-After of a 429 and retries a 500', async () => {
    const replies: ChatReply[] = [
      { status: 429, headers: { 'retry-after': '1' }, json: { error: { message: 'slow down' } } },
      { status: 500, json: { error: { message: 'oops' } } },
      { content: '{"name": "Bird Anatomy", "description": "Birds."}' },
    ];
    const { baseURL, requests } = await start((_, i) => replies[i]!);
    const retries: { delayMs: number; statusCode?: number }[] = [];
    const namer = createOpenAINamer({ baseURL, minRetryDelayMs: 10, onRetry: (info) => retries.push(info) });
    expect(await namer.doName(request())).toEqual({ name: 'Bird Anatomy', description: 'Birds.', naming: 'llm' });
    expect(requests).toHaveLength(3);
    expect(retries[0]).toMatchObject({ delayMs: 1000, statusCode: 429 });
    expect(retries[1]!.statusCode).toBe(500);
    expect(retries[1]!.delayMs).toBeGreaterThanOrEqual(10);
    expect(retries[1]!.delayMs).toBeLessThanOrEqual(20);
    expect(namer.usage()).toMatchObject({ calls: 3, retries: 2, failures: 0 });
  });

  it('throws a NamingError after the retries run out, and does not retry a 400', async () => {
    const { baseURL, requests } = await start((r) => (r.body.model === 'bad' ? { status: 400, json: { error: { message: 'unknown model' } } } : { status: 503, json: { error: { message: 'down' } } }));
    const namer = createOpenAINamer({ baseURL, maxRetries: 2, minRetryDelayMs: 5 });
    const error = await namer.doName(request()).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(NamingError);
    expect(error).toMatchObject({ statusCode: 503, isRetryable: true, clusterId: '0.1' });
    expect(requests).toHaveLength(3);
    const bad = await createOpenAINamer({ baseURL, model: 'bad' }).doName(request()).catch((e: unknown) => e);
    expect(bad).toMatchObject({ statusCode: 400, isRetryable: false });
    expect((bad as Error).message).toMatch(/unknown model.*check the model name/);
    expect(requests).toHaveLength(4);
  });

  it('times out a slow call per attempt', async () => {
    const { baseURL, requests } = await start(() => ({ content: '{"name": "Too Late"}', delayMs: 1000 }));
    const namer = createOpenAINamer({ baseURL, timeoutMs: 100, maxRetries: 1, minRetryDelayMs: 5 });
    await expect(namer.doName(request())).rejects.toThrow(/timed out/i);
    expect(requests).toHaveLength(2);
    expect(namer.usage().failures).toBe(1);
  });

  it('rejects answers with no usable name or no choices, and accepts a bare label line', async () => {
    const contents = ['I am not sure what these texts have in common, they seem rather varied to me.', 'Bird Anatomy', '{"name": "Birds"}'];
    const { baseURL } = await start((_, i) => (i < contents.length ? { content: contents[i] } : { json: { id: 'x', object: 'chat.completion', choices: [] } }));
    const namer = createOpenAINamer({ baseURL, maxRetries: 0 });
    await expect(namer.doName(request())).rejects.toThrow(/no usable name/);
    expect((await namer.doName(request())).name).toBe('Bird Anatomy');
    await expect(namer.doName(request())).rejects.toThrow(/1 word/);
    await expect(namer.doName(request())).rejects.toThrow(/no choices/);
    expect(namer.usage()).toMatchObject({ calls: 4, failures: 3 });
  });

  it('answers a second run from its disk cache without any call', async () => {
    const { baseURL, requests } = await start(byTopic);
    const first = tree();
    await nameClusterTree(first.root, { ...first, namer: createOpenAINamer({ baseURL, cacheDirectory: directory }), seed: 3 });
    expect(requests).toHaveLength(12);
    const again = tree();
    const namer = createOpenAINamer({ baseURL, cacheDirectory: directory });
    await nameClusterTree(again.root, { ...again, namer, seed: 3 });
    expect(requests).toHaveLength(12);
    expect(namer.usage()).toMatchObject({ calls: 0, cachedHits: 12 });
    expect(JSON.stringify(again.root)).toBe(JSON.stringify(first.root));
    expect((await readdir(directory)).filter((f) => f.endsWith('.json'))).toHaveLength(12);
  });

  it('never lets the API key from the environment reach errors or cache files', async () => {
    const key = 'sk-test-SECRET-0123456789';
    vi.stubEnv('OPENAI_API_KEY', key);
    const { baseURL, requests } = await start((r, i) =>
      i === 0 ? { content: '{"name": "Bird Anatomy"}' } : { status: 401, json: { error: { message: `Incorrect API key provided: ${String(r.headers.authorization).slice(7)}` } } },
    );
    vi.stubEnv('OPENAI_BASE_URL', baseURL);
    const namer = createOpenAINamer({ cacheDirectory: directory });
    await namer.doName(request());
    const error = (await namer.doName(request({ clusterId: '0.2', samples: ['other'] })).catch((e: unknown) => e)) as NamingError;
    expect(requests.map((r) => r.headers.authorization)).toEqual([`Bearer ${key}`, `Bearer ${key}`]);
    expect(error).toBeInstanceOf(NamingError);
    expect(error.statusCode).toBe(401);
    expect(error.message).toMatch(/Incorrect API key provided: \[redacted\].*check the API key/);
    expect(`${error.message} ${error.stack} ${JSON.stringify(error)}`).not.toContain(key);
    for (const file of await readdir(directory)) expect(await readFile(join(directory, file), 'utf8')).not.toContain(key);
  });

  it('says how to give a key when none is set and no server is named', async () => {
    await expect(createOpenAINamer().doName(request())).rejects.toThrow(/OPENAI_API_KEY/);
  });

  it('stops with AbortedError when the caller aborts', async () => {
    const { baseURL } = await start(() => ({ content: '{"name": "Too Late"}', delayMs: 2000 }));
    const controller = new AbortController();
    const pending = createOpenAINamer({ baseURL }).doName(request({ abortSignal: controller.signal }));
    setTimeout(() => controller.abort(), 20);
    await expect(pending).rejects.toBeInstanceOf(AbortedError);
  });
});
