import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { AbortedError, PluginError } from '@corpus-proximity/core';
import { testEmbedder } from '@corpus-proximity/core/test';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createOpenAIEmbedder } from './create-openai-embedder.js';

const apiKey = 'sk-test-very-secret-key';

/** One scripted answer of the fake server; the default answer embeds the input. */
type Answer = (request: { body: Record<string, unknown>; headers: IncomingMessage['headers'] }, response: ServerResponse) => void | Promise<void>;
const script: Answer[] = [];
const requests: { body: Record<string, unknown>; authorization?: string }[] = [];
let inFlight = 0;
let maxInFlight = 0;
let baseURL = '';
/** How long the server holds each request (longer where a test counts concurrent requests). */
let holdMs = 5;

/** A deterministic, unnormalized vector per text (so normalization is visible). */
function fakeVector(text: string, size: number): number[] {
  let hash = 2166136261;
  for (let i = 0; i < text.length; i++) hash = Math.imul(hash ^ text.charCodeAt(i), 16777619) >>> 0;
  return Array.from({ length: size }, (_, d) => (((hash >>> d % 24) & 0xff) - 127.5) * (d + 1));
}

const embedInput: Answer = ({ body }, response) => {
  const input = body.input as string[];
  const size = typeof body.dimensions === 'number' ? body.dimensions : 8;
  // Answer in reverse order: clients must use `index`.
  const data = input.map((text, index) => ({ object: 'embedding', index, embedding: fakeVector(text, size) })).reverse();
  json(response, 200, { object: 'list', data, model: body.model, usage: { prompt_tokens: 1, total_tokens: 1 } });
};

function json(response: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  response.writeHead(status, { 'content-type': 'application/json', ...headers });
  response.end(JSON.stringify(body));
}

const server = createServer((request, response) => {
  let raw = '';
  request.on('data', (chunk: Buffer) => (raw += chunk.toString()));
  request.on('end', async () => {
    if (request.method !== 'POST' || request.url !== '/v1/embeddings') return json(response, 404, { error: { message: 'not found' } });
    const body = JSON.parse(raw) as Record<string, unknown>;
    requests.push({ body, authorization: request.headers.authorization });
    inFlight++;
    maxInFlight = Math.max(maxInFlight, inFlight);
    await new Promise((resolve) => setTimeout(resolve, holdMs));
    inFlight--;
    await (script.shift() ?? embedInput)({ body, headers: request.headers }, response);
  });
});

beforeAll(async () => {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  baseURL = `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1`;
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));
beforeEach(() => {
  script.length = 0;
  requests.length = 0;
  maxInFlight = 0;
  holdMs = 5;
});

const create = (settings: Parameters<typeof createOpenAIEmbedder>[0] = {}) => createOpenAIEmbedder({ baseURL, apiKey, model: 'test-embed', dimensions: 8, ...settings });

testEmbedder('openai (real HTTP server on 127.0.0.1)', () => create());

describe('createOpenAIEmbedder', () => {
  it('sends the model, the inputs and the key, and normalizes vectors in input order', async () => {
    const { embeddings } = await create().doEmbed({ values: ['alpha', 'beta'], inputType: 'document' });
    expect(requests).toHaveLength(1);
    expect(requests[0]!.authorization).toBe(`Bearer ${apiKey}`);
    expect(requests[0]!.body).toMatchObject({ model: 'test-embed', input: ['alpha', 'beta'], encoding_format: 'float' });
    expect(requests[0]!.body.dimensions).toBeUndefined();
    const expected = fakeVector('alpha', 8);
    const norm = Math.hypot(...expected);
    expect(Array.from(embeddings[0]!)).toEqual(expected.map((value) => Math.fround(value / norm)));
  });

  it('asks text-embedding-3 models for the configured dimensions', async () => {
    const embedder = create({ model: 'text-embedding-3-small', dimensions: 16 });
    const { embeddings } = await embedder.doEmbed({ values: ['x'], inputType: 'query' });
    expect(requests[0]!.body.dimensions).toBe(16);
    expect(embeddings[0]).toHaveLength(16);
    expect(createOpenAIEmbedder({ model: 'text-embedding-3-large' }).dimensions).toBe(3072);
  });

  it('splits into requests of maxEmbeddingsPerCall, at most `concurrency` at once, keeping order', async () => {
    const values = Array.from({ length: 10 }, (_, i) => `text ${i}`);
    holdMs = 100;
    const { embeddings } = await create({ maxEmbeddingsPerCall: 3, concurrency: 2 }).doEmbed({ values, inputType: 'document' });
    // Requests run in parallel, so they may arrive in any order; the results must not.
    expect(requests.map((request) => (request.body.input as string[]).join('|')).sort()).toEqual(['text 0|text 1|text 2', 'text 3|text 4|text 5', 'text 6|text 7|text 8', 'text 9']);
    expect(maxInFlight).toBe(2);
    const single = await create().doEmbed({ values: ['text 7'], inputType: 'document' });
    expect(embeddings[7]).toEqual(single.embeddings[0]);
  });

  it('retries 429 honouring Retry-After, and 500 with backoff', async () => {
    script.push((_, response) => json(response, 429, { error: { message: 'slow down' } }, { 'retry-after': '0' }));
    script.push((_, response) => json(response, 429, { error: { message: 'slow down' } }, { 'retry-after-ms': '10' }));
    script.push((_, response) => json(response, 500, { error: { message: 'boom' } }));
    const { embeddings } = await create().doEmbed({ values: ['a'], inputType: 'query' });
    expect(requests).toHaveLength(4);
    expect(embeddings).toHaveLength(1);
  });

  it('gives up after maxRetries with the status in the message', async () => {
    for (let i = 0; i < 3; i++) script.push((_, response) => json(response, 503, { error: { message: 'unavailable' } }, { 'retry-after': '0' }));
    const failure = create({ maxRetries: 2 }).doEmbed({ values: ['a'], inputType: 'query' });
    await expect(failure).rejects.toThrow(PluginError);
    await expect(failure).rejects.toThrow(/status 503.*gave up after 2 retries/);
    expect(requests).toHaveLength(3);
  });

  it('rejects wrong dimensions and malformed bodies', async () => {
    script.push(({ body }, response) => json(response, 200, { data: (body.input as string[]).map((_, index) => ({ index, embedding: [1, 2, 3, 4, 5] })) }));
    await expect(create().doEmbed({ values: ['a'], inputType: 'query' })).rejects.toThrow(/returned 5 dimensions, expected 8/);
    script.push((_, response) => {
      response.writeHead(200, { 'content-type': 'application/json' });
      response.end('{"data": [');
    });
    await expect(create({ maxRetries: 0 }).doEmbed({ values: ['a'], inputType: 'query' })).rejects.toThrow(/malformed response|not JSON/);
    script.push((_, response) => json(response, 200, { data: 'nope' }));
    await expect(create().doEmbed({ values: ['a'], inputType: 'query' })).rejects.toThrow(/malformed response.*expected "data" with 1 embeddings/);
    script.push((_, response) => json(response, 200, { data: [{ index: 0, embedding: [1, 2] }, { index: 0, embedding: [1, 2] }] }));
    await expect(create({ dimensions: 2 }).doEmbed({ values: ['a', 'b'], inputType: 'query' })).rejects.toThrow(/item 1 is not/);
    script.push((_, response) => json(response, 200, { data: [{ index: 0, embedding: [0, 0] }] }));
    await expect(create({ dimensions: 2 }).doEmbed({ values: ['a'], inputType: 'query' })).rejects.toThrow(/all-zero/);
  });

  it('never puts the API key in an error message', async () => {
    script.push(({ headers }, response) => json(response, 401, { error: { message: `Incorrect API key provided: ${String(headers.authorization)}` } }));
    const error = (await create().doEmbed({ values: ['a'], inputType: 'query' }).catch((caught: unknown) => caught)) as Error;
    expect(error).toBeInstanceOf(PluginError);
    expect(error.message).toMatch(/status 401.*check the API key/);
    expect(error.message).not.toContain(apiKey);
    expect(error.message).toContain('<redacted>');
  });

  it('needs a key for api.openai.com and says where to put it, without sending anything', async () => {
    const saved = process.env.OPENAI_API_KEY;
    delete process.env.OPENAI_API_KEY;
    let called = false;
    const fetch = (async () => {
      called = true;
      throw new Error('unreachable');
    }) as unknown as typeof globalThis.fetch;
    try {
      await expect(createOpenAIEmbedder({ baseURL: 'https://api.openai.com/v1', fetch }).doEmbed({ values: ['a'], inputType: 'query' })).rejects.toThrow(/no API key.*OPENAI_API_KEY/);
    } finally {
      if (saved !== undefined) process.env.OPENAI_API_KEY = saved;
    }
    expect(called).toBe(false);
  });

  it('uses the given fetch, applies the query prefix and learns unknown dimensions', async () => {
    let calls = 0;
    const fetch: typeof globalThis.fetch = (input, init) => (calls++, globalThis.fetch(input, init));
    const embedder = createOpenAIEmbedder({ baseURL, apiKey, model: 'local-model', fetch, queryPrefix: 'q: ' });
    expect(() => embedder.dimensions).toThrow(/unknown until the first call/);
    await embedder.doEmbed({ values: ['a'], inputType: 'query' });
    await embedder.doEmbed({ values: ['a'], inputType: 'document' });
    expect(calls).toBe(2);
    expect(requests.map((request) => request.body.input)).toEqual([['q: a'], ['a']]);
    expect(embedder.dimensions).toBe(8);
    expect(embedder.exportState()).toEqual({ settings: { model: 'local-model', baseURL, queryPrefix: 'q: ' }, files: {} });
  });

  it('stops when aborted and times out on a silent server', async () => {
    const controller = new AbortController();
    controller.abort();
    await expect(create().doEmbed({ values: ['a'], inputType: 'query', abortSignal: controller.signal })).rejects.toThrow(AbortedError);
    script.push(() => new Promise(() => {}));
    await expect(create({ timeoutMs: 200, maxRetries: 0 }).doEmbed({ values: ['a'], inputType: 'query' })).rejects.toThrow(/timed out|Timeout/i);
  });
});
