import { createServer, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';

/** One request a test chat server received. */
export interface RecordedChatRequest {
  body: { model?: string; messages?: { role: string; content: string }[]; [field: string]: unknown };
  headers: IncomingHttpHeaders;
  /** The user message, for assertions on the prompt. */
  prompt: string;
}

/** What the server answers to one request. */
export interface ChatReply {
  status?: number;
  headers?: Record<string, string>;
  /** The assistant message content of a normal 200 answer. */
  content?: string;
  /** A raw JSON body instead of a chat completion. */
  json?: unknown;
  /** Waits this long before answering. */
  delayMs?: number;
}

/**
 * A minimal OpenAI-compatible server on 127.0.0.1 for tests and benchmarks: POST /v1/chat/completions,
 * answered by `reply`, recording every request and the most requests ever in flight.
 */
export async function startChatServer(reply: (request: RecordedChatRequest, index: number) => ChatReply | Promise<ChatReply>) {
  const requests: RecordedChatRequest[] = [];
  let inFlight = 0;
  let maxInFlight = 0;
  const server = createServer(async (incoming, response) => {
    maxInFlight = Math.max(maxInFlight, ++inFlight);
    try {
      const chunks: Buffer[] = [];
      for await (const chunk of incoming) chunks.push(chunk as Buffer);
      if (incoming.method !== 'POST' || !incoming.url?.endsWith('/chat/completions')) {
        response.writeHead(404, { 'content-type': 'application/json' }).end('{"error":{"message":"not found"}}');
        return;
      }
      const body = JSON.parse(Buffer.concat(chunks).toString('utf8')) as RecordedChatRequest['body'];
      const recorded: RecordedChatRequest = { body, headers: incoming.headers, prompt: body.messages?.find((m) => m.role === 'user')?.content ?? '' };
      requests.push(recorded);
      const answer = await reply(recorded, requests.length - 1);
      if (answer.delayMs) await new Promise((resolve) => setTimeout(resolve, answer.delayMs));
      if (response.destroyed) return;
      const json = answer.json ?? {
        id: `chatcmpl-${requests.length}`,
        object: 'chat.completion',
        created: 0,
        model: body.model,
        choices: [{ index: 0, finish_reason: 'stop', message: { role: 'assistant', content: answer.content ?? '' } }],
        usage: { prompt_tokens: Math.ceil(recorded.prompt.length / 4), completion_tokens: 12, total_tokens: Math.ceil(recorded.prompt.length / 4) + 12 },
      };
      response.writeHead(answer.status ?? 200, { 'content-type': 'application/json', ...answer.headers }).end(JSON.stringify(json));
    } finally {
      inFlight--;
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    baseURL: `http://127.0.0.1:${port}/v1`,
    requests,
    maxInFlight: () => maxInFlight,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
