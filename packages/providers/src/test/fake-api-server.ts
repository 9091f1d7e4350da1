import { randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/** A failure a fake provider server injects. */
export interface FakeFault {
  /**
   * - `create-500-after-create`: the create call makes the instance, then answers 500.
   * - `stuck-provisioning`: instances created meanwhile never get a reachable SSH endpoint.
   * - `unexpected-body`: answers `body` (default `{ "error": "deprecated_endpoint" }`) with `status` (default 200).
   * - `rate-limit`: answers 429 with `Retry-After: retryAfterSeconds` (default 1).
   * - `server-error`: answers `status` (default 503) without doing anything.
   * - `auth-failure`: answers 401 as for a bad key.
   */
  kind: 'create-500-after-create' | 'stuck-provisioning' | 'unexpected-body' | 'rate-limit' | 'server-error' | 'auth-failure';
  /** Only requests with this method (default: any; the create faults match the create call). */
  method?: string;
  /** Only requests to this path (exact, without query) or matching this pattern. */
  path?: string | RegExp;
  /** How many matching requests (or creates) it applies to (default 1; Infinity for always). */
  times?: number;
  status?: number;
  body?: unknown;
  retryAfterSeconds?: number;
}

/** One request a fake server received (the Authorization header is not kept). */
export interface RecordedApiRequest {
  method: string;
  path: string;
  query: string;
  body: unknown;
}

/** Where the fake says an instance's SSH server is (point it at a real sshd on 127.0.0.1). */
export interface FakeSshEndpoint {
  host: string;
  port: number;
}

/** What both fake servers share: URL, key, request log, faults, SSH endpoint, close. */
export interface FakeApiServer {
  /** Origin, e.g. http://127.0.0.1:41234 */
  readonly url: string;
  /** The only key the server accepts (`Authorization: Bearer <key>`). */
  readonly apiKey: string;
  /** Every request received, oldest first. */
  readonly requests: RecordedApiRequest[];
  injectFault(fault: FakeFault): void;
  clearFaults(): void;
  setSshEndpoint(endpoint: FakeSshEndpoint): void;
  close(): Promise<void>;
}

/** A JSON answer. */
export interface FakeReply {
  status: number;
  body?: unknown;
  headers?: Record<string, string>;
}

/** What a provider-specific handler gets. */
export interface FakeContext {
  /** Uses up one matching fault of this kind, if any. */
  takeFault(kind: FakeFault['kind'], method: string, path: string): FakeFault | undefined;
  ssh(): FakeSshEndpoint;
}

/** Starts the shared HTTP core on 127.0.0.1; `handle` answers the requests that pass auth and faults. */
export async function startFakeApiServer(options: {
  apiKey?: string;
  ssh?: FakeSshEndpoint;
  handle: (method: string, path: string, body: unknown, context: FakeContext) => FakeReply;
}): Promise<FakeApiServer> {
  const apiKey = options.apiKey ?? `fake-${randomBytes(12).toString('hex')}`;
  const requests: RecordedApiRequest[] = [];
  let faults: FakeFault[] = [];
  let ssh = options.ssh ?? { host: '127.0.0.1', port: 22 };
  const matches = (fault: FakeFault, method: string, path: string) =>
    (fault.method === undefined || fault.method.toUpperCase() === method) &&
    (fault.path === undefined || (typeof fault.path === 'string' ? fault.path === path : fault.path.test(path)));
  const takeFault = (kind: FakeFault['kind'], method: string, path: string) => {
    const fault = faults.find((candidate) => candidate.kind === kind && matches(candidate, method, path));
    if (!fault) return undefined;
    fault.times = (fault.times ?? 1) - 1;
    if (fault.times <= 0) faults = faults.filter((candidate) => candidate !== fault);
    return fault;
  };
  const context: FakeContext = { takeFault, ssh: () => ssh };

  const server = createServer(async (incoming: IncomingMessage, response: ServerResponse) => {
    const chunks: Buffer[] = [];
    for await (const chunk of incoming) chunks.push(chunk as Buffer);
    const method = (incoming.method ?? 'GET').toUpperCase();
    const [path = '/', query = ''] = (incoming.url ?? '/').split('?');
    const text = Buffer.concat(chunks).toString('utf8');
    let body: unknown;
    try {
      body = text === '' ? undefined : JSON.parse(text);
    } catch {
      return send(response, { status: 400, body: { error: 'request body is not JSON' } });
    }
    requests.push({ method, path, query, body });
    if (incoming.headers.authorization !== `Bearer ${apiKey}` || takeFault('auth-failure', method, path)) {
      return send(response, { status: 401, body: { error: 'Unauthorized: invalid api key' } });
    }
    const limited = takeFault('rate-limit', method, path);
    if (limited) return send(response, { status: 429, body: { error: 'too many requests' }, headers: { 'retry-after': String(limited.retryAfterSeconds ?? 1) } });
    const failing = takeFault('server-error', method, path);
    if (failing) return send(response, { status: failing.status ?? 503, body: { error: 'service unavailable' } });
    const odd = takeFault('unexpected-body', method, path);
    if (odd) return send(response, { status: odd.status ?? 200, body: odd.body ?? { error: 'deprecated_endpoint', msg: 'this endpoint is deprecated' } });
    try {
      send(response, options.handle(method, path, body, context));
    } catch (error) {
      send(response, { status: 500, body: { error: `fake server bug: ${(error as Error).message}` } });
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    url,
    apiKey,
    requests,
    injectFault: (fault) => void faults.push({ ...fault }),
    clearFaults: () => void (faults = []),
    setSshEndpoint: (endpoint) => void (ssh = endpoint),
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close((error) => (error ? reject(error) : resolve()));
      }),
  };
}

function send(response: ServerResponse, reply: FakeReply): void {
  if (response.destroyed) return;
  const text = reply.body === undefined ? '' : JSON.stringify(reply.body);
  response.writeHead(reply.status, { ...(text ? { 'content-type': 'application/json' } : {}), ...reply.headers }).end(text);
}
