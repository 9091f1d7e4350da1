import { AbortedError, PluginError, type EmbedderState, type EmbedderV1 } from '@corpus-proximity/core';

/** Settings of {@link createOpenAIEmbedder}. */
export interface OpenAIEmbedderSettings {
  /** Embedding model (default "text-embedding-3-small"). */
  model?: string;
  /** Any OpenAI-compatible server (default OPENAI_BASE_URL, else https://api.openai.com/v1). */
  baseURL?: string;
  /** API key (default OPENAI_API_KEY, read on first use). Servers other than OpenAI's may go without. */
  apiKey?: string;
  /** Vector size: sent as `dimensions` to text-embedding-3 models, checked against every response. */
  dimensions?: number;
  /** Texts per request (default 2048, OpenAI's limit). */
  maxEmbeddingsPerCall?: number;
  /** Requests in flight at once (default 4). */
  concurrency?: number;
  /** Retries of a request on 408/409/429/5xx and connection errors, honouring Retry-After (default 5). */
  maxRetries?: number;
  /** Timeout of one request in milliseconds (default 60,000). */
  timeoutMs?: number;
  /** fetch to use (tests point it anywhere; default global fetch). */
  fetch?: typeof globalThis.fetch;
  /** Prepended to queries only. */
  queryPrefix?: string;
  /** Prepended to documents only. */
  documentPrefix?: string;
  /** Longest input in tokens (default 8191). */
  maxTokens?: number;
}

/** Known output sizes of OpenAI's embedding models, so `dimensions` is right before the first call. */
const knownDimensions: Record<string, number> = { 'text-embedding-3-small': 1536, 'text-embedding-3-large': 3072, 'text-embedding-ada-002': 1536 };
const openaiBaseURL = 'https://api.openai.com/v1';

interface EmbeddingsClient {
  embeddings: {
    create(body: Record<string, unknown>, options: { signal?: AbortSignal }): Promise<unknown>;
  };
}

/** An embedder that calls POST /embeddings of OpenAI or any OpenAI-compatible server, through the `openai` package (lazily imported). */
export function createOpenAIEmbedder(settings: OpenAIEmbedderSettings = {}): EmbedderV1 & { exportState(): EmbedderState } {
  const plugin = 'openai';
  const model = settings.model ?? 'text-embedding-3-small';
  const maxPerCall = positive(settings.maxEmbeddingsPerCall ?? 2048, 'maxEmbeddingsPerCall');
  const concurrency = positive(settings.concurrency ?? 4, 'concurrency');
  let learned: number | undefined;
  let client: Promise<EmbeddingsClient> | undefined;
  const baseURL = () => settings.baseURL ?? process.env.OPENAI_BASE_URL ?? openaiBaseURL;
  let secret: string | undefined;
  const scrub = (text: string) => (secret && secret.length >= 4 ? text.split(secret).join('<redacted>') : text);

  const getClient = () =>
    (client ??= (async () => {
      const apiKey = settings.apiKey ?? process.env.OPENAI_API_KEY;
      if (!apiKey && baseURL().startsWith(openaiBaseURL)) {
        throw new PluginError(plugin, `no API key for ${baseURL()}: pass apiKey or set OPENAI_API_KEY`);
      }
      secret = apiKey;
      let OpenAI: new (options: Record<string, unknown>) => EmbeddingsClient;
      try {
        OpenAI = ((await import('openai')) as unknown as { default: typeof OpenAI }).default;
      } catch (cause) {
        throw new PluginError(plugin, 'the `openai` package is not installed; install it to use the OpenAI embedder: `pnpm add openai@^6`', { cause });
      }
      return new OpenAI({
        apiKey: apiKey ?? 'no-key',
        baseURL: baseURL(),
        maxRetries: settings.maxRetries ?? 5,
        timeout: settings.timeoutMs ?? 60_000,
        ...(settings.fetch ? { fetch: settings.fetch } : {}),
      });
    })().catch((error: unknown) => {
      client = undefined;
      throw error;
    }));

  const expected = () => settings.dimensions ?? knownDimensions[model] ?? learned;

  const embedBatch = async (api: EmbeddingsClient, batch: string[], abortSignal: AbortSignal | undefined): Promise<Float32Array[]> => {
    const body: Record<string, unknown> = { model, input: batch, encoding_format: 'float' };
    if (settings.dimensions !== undefined && model.startsWith('text-embedding-3')) body.dimensions = settings.dimensions;
    let response: unknown;
    try {
      response = await api.embeddings.create(body, { signal: abortSignal });
    } catch (error) {
      throw describeFailure(error);
    }
    const data = (response as { data?: unknown } | null)?.data;
    if (!Array.isArray(data) || data.length !== batch.length) {
      throw new PluginError(plugin, `malformed response from ${baseURL()}/embeddings: expected "data" with ${batch.length} embeddings, got ${Array.isArray(data) ? `${data.length}` : typeof data}`);
    }
    const vectors: Float32Array[] = new Array(batch.length);
    for (const [position, item] of data.entries()) {
      const { embedding, index = position } = (item ?? {}) as { embedding?: unknown; index?: unknown };
      if (!Array.isArray(embedding) || !embedding.every((value) => typeof value === 'number' && Number.isFinite(value)) || typeof index !== 'number' || !Number.isInteger(index) || index < 0 || index >= batch.length || vectors[index]) {
        throw new PluginError(plugin, `malformed response from ${baseURL()}/embeddings: item ${position} is not {index, embedding: number[]} with a new index below ${batch.length}`);
      }
      learned ??= embedding.length;
      const size = expected()!;
      if (embedding.length !== size) throw new PluginError(plugin, `${model} returned ${embedding.length} dimensions, expected ${size}; set dimensions to what the model gives`);
      vectors[index] = normalized(embedding as number[]);
    }
    return vectors;
  };

  const describeFailure = (error: unknown): Error => {
    const name = (error as Error)?.name ?? '';
    if (name === 'APIUserAbortError' || name === 'AbortError') return new AbortedError('openai: embedding was aborted');
    const status = (error as { status?: unknown } | null)?.status;
    const message = scrub((error as Error)?.message ?? String(error));
    if (typeof status === 'number') {
      const hint = status === 401 || status === 403 ? 'check the API key' : status === 404 ? `check baseURL and model "${model}"` : `gave up after ${settings.maxRetries ?? 5} retries`;
      return new PluginError(plugin, `POST ${baseURL()}/embeddings failed with status ${status} (${message}); ${hint}`);
    }
    if (error instanceof SyntaxError) return new PluginError(plugin, `malformed response from ${baseURL()}/embeddings: the body is not JSON (${message})`);
    if (name === 'APIConnectionTimeoutError' || /timed? ?out/i.test(message)) {
      const seconds = (settings.timeoutMs ?? 60_000) / 1000;
      return new PluginError(plugin, `POST ${baseURL()}/embeddings got no answer within ${seconds} s, ${(settings.maxRetries ?? 5) + 1} times (the first try and ${settings.maxRetries ?? 5} retries): the server accepts connections but does not answer; check it, or raise the timeout (--request-timeout SECONDS)`);
    }
    return new PluginError(plugin, `POST ${baseURL()}/embeddings failed (${name || 'error'}: ${message}); is the server at ${baseURL()} reachable?`);
  };

  return {
    specificationVersion: 'embedder-v1',
    provider: plugin,
    modelId: model,
    get dimensions() {
      const size = expected();
      if (size === undefined) throw new PluginError(plugin, `dimensions of ${model} are unknown until the first call; pass dimensions`);
      return size;
    },
    maxTokens: settings.maxTokens ?? 8191,
    maxEmbeddingsPerCall: maxPerCall,
    exportState() {
      const stored: Record<string, unknown> = { model };
      if (settings.baseURL) stored.baseURL = settings.baseURL;
      if (settings.dimensions !== undefined) stored.dimensions = settings.dimensions;
      if (settings.queryPrefix) stored.queryPrefix = settings.queryPrefix;
      if (settings.documentPrefix) stored.documentPrefix = settings.documentPrefix;
      return { settings: stored, files: {} };
    },
    async doEmbed({ values, inputType, abortSignal }) {
      if (values.length === 0) return { embeddings: [] };
      if (abortSignal?.aborted) throw new AbortedError('openai: embedding was aborted');
      const api = await getClient();
      const prefix = (inputType === 'query' ? settings.queryPrefix : settings.documentPrefix) ?? '';
      const batches: string[][] = [];
      for (let start = 0; start < values.length; start += maxPerCall) batches.push(values.slice(start, start + maxPerCall).map((text) => prefix + text));
      const results: Float32Array[][] = new Array(batches.length);
      let next = 0;
      let failed = false;
      const worker = async () => {
        while (!failed && next < batches.length) {
          const index = next++;
          try {
            results[index] = await embedBatch(api, batches[index]!, abortSignal);
          } catch (error) {
            failed = true;
            throw error;
          }
        }
      };
      await Promise.all(Array.from({ length: Math.min(concurrency, batches.length) }, worker));
      return { embeddings: results.flat() };
    },
  };
}

function normalized(values: number[]): Float32Array {
  let norm = 0;
  for (const value of values) norm += value * value;
  norm = Math.sqrt(norm);
  if (!(norm > 0)) throw new PluginError('openai', 'the server returned an all-zero embedding, which cannot be normalized');
  return Float32Array.from(values, (value) => value / norm);
}

function positive(value: number, name: string): number {
  if (!Number.isInteger(value) || value < 1) throw new PluginError('openai', `${name} must be a positive integer, got ${String(value)}`);
  return value;
}
