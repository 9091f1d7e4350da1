import { createHash } from 'node:crypto';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * An OpenAI-compatible POST /v1/embeddings on 127.0.0.1 for CLI tests: each input gets a
 * deterministic `dimensions`-long vector from its sha256. `stall: true` accepts requests and never answers.
 */
export async function startEmbeddingsServer(options: { dimensions: number; stall?: boolean }) {
  let requests = 0;
  const server = createServer(async (request, response) => {
    requests++;
    const chunks: Buffer[] = [];
    for await (const chunk of request) chunks.push(chunk as Buffer);
    if (options.stall) return;
    const body = JSON.parse(Buffer.concat(chunks).toString('utf8')) as { input: string | string[]; model: string };
    const inputs = Array.isArray(body.input) ? body.input : [body.input];
    const data = inputs.map((text, index) => {
      const digest = createHash('sha256').update(text).digest();
      return { object: 'embedding', index, embedding: Array.from({ length: options.dimensions }, (_, d) => digest[d % 32]! / 255 - 0.5 + (d === 0 ? 1 : 0)) };
    });
    response.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ object: 'list', data, model: body.model, usage: { prompt_tokens: 1, total_tokens: 1 } }));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    baseURL: `http://127.0.0.1:${port}/v1`,
    requests: () => requests,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
