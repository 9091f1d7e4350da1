import { createHash } from 'node:crypto';
import { createServer, type Server } from 'node:http';

/** A local OpenAI-compatible /embeddings server: checks the bearer key, answers deterministic vectors, optionally slowly or failing. */
export interface FakeEmbeddings {
  baseURL: string;
  /** Requests answered so far. */
  requests: number;
  /** Authorization headers that did not match the expected key. */
  rejected: number;
  delayMs: number;
  /** Model names answered with HTTP 400 (a request error the pipeline does not retry). */
  failingModels: Set<string>;
  close(): Promise<void>;
}

/** Starts the fake server on 127.0.0.1. */
export async function startFakeEmbeddings(options: { apiKey: string; dimensions?: number; delayMs?: number }): Promise<FakeEmbeddings> {
  const dimensions = options.dimensions ?? 16;
  const state = { requests: 0, rejected: 0, delayMs: options.delayMs ?? 0, failingModels: new Set<string>() };
  const server: Server = createServer((request, response) => {
    let body = '';
    request.on('data', (data) => (body += data));
    request.on('end', () => {
      const reply = (status: number, value: unknown) => {
        response.writeHead(status, { 'content-type': 'application/json' });
        response.end(JSON.stringify(value));
      };
      if (request.headers.authorization !== `Bearer ${options.apiKey}`) {
        state.rejected++;
        return reply(401, { error: { message: 'bad key', type: 'invalid_request_error' } });
      }
      const { model, input } = JSON.parse(body) as { model: string; input: string[] };
      if (state.failingModels.has(model)) return reply(400, { error: { message: `model ${model} is broken`, type: 'invalid_request_error' } });
      setTimeout(() => {
        state.requests++;
        reply(200, {
          object: 'list',
          model,
          data: input.map((text, index) => ({ object: 'embedding', index, embedding: vectorOf(text, dimensions) })),
          usage: { prompt_tokens: 0, total_tokens: 0 },
        });
      }, state.delayMs);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address() as { port: number };
  return Object.assign(state, {
    baseURL: `http://127.0.0.1:${address.port}/v1`,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  }) as FakeEmbeddings;
}

function vectorOf(text: string, dimensions: number): number[] {
  const digest = createHash('sha256').update(text.toLowerCase().split(/\W+/).slice(0, 3).join(' ')).digest();
  return Array.from({ length: dimensions }, (_, i) => (digest[i % digest.length]! - 128) / 128 + (i === 0 ? 0.01 : 0));
}
