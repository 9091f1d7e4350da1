import { AbortedError, type NamerV1, type NamingRequest } from '@corpus-proximity/core';
import type OpenAIClient from 'openai';
import { createLimiter } from './create-limiter.js';
import { createNamingCache, namingCacheKey } from './naming-cache.js';
import { NamingError } from './naming-error.js';
import { buildNamingPrompt, NAMING_PROMPT_VERSION } from './naming-prompt.js';
import { parseNamingResponse } from './parse-naming-response.js';
import { parseRetryAfter, withRetries, type RetryDecision, type RetryPolicy } from './retry.js';

/** Settings of the LLM namer (any OpenAI-compatible chat-completions server). */
export interface OpenAINamerSettings {
  /** Chat model. Default "gpt-4o-mini". */
  model?: string;
  /** Server base URL, e.g. "http://127.0.0.1:8000/v1". Default OPENAI_BASE_URL, else OpenAI's. */
  baseURL?: string;
  /** API key. Default OPENAI_API_KEY, read on the first call; local servers (a baseURL) may need none. */
  apiKey?: string;
  /** Most calls in flight. Default 8. */
  concurrency?: number;
  /** Sampling temperature; null leaves it to the server (reasoning models). Default 0. */
  temperature?: number | null;
  /** Per-attempt timeout. Default 60 000 ms. */
  timeoutMs?: number;
  /** Retries after a 429, a 5xx, a timeout or a dropped connection. Default 4. */
  maxRetries?: number;
  /** First backoff; doubles per retry, with jitter. Default 500 ms. */
  minRetryDelayMs?: number;
  /** Longest wait between attempts, Retry-After included. Default 60 000 ms. */
  maxRetryDelayMs?: number;
  /** Tokens (≈ characters / 4) all samples together may take in the prompt. Default 3000. */
  sampleTokenBudget?: number;
  /** Sent as max_tokens when set. */
  maxOutputTokens?: number;
  /** Custom fetch (tests, proxies). */
  fetch?: typeof globalThis.fetch;
  /** Folder of cached answers; a re-run with the same inputs makes no calls. */
  cacheDirectory?: string;
  /** Told about every retry before its wait. */
  onRetry?: RetryPolicy['onRetry'];
}

/** Calls and tokens an LLM namer has used so far. */
export interface NamerUsage {
  /** HTTP requests sent, retries included. */
  calls: number;
  /** Names answered from the cache. */
  cachedHits: number;
  /** Retries after a failed attempt. */
  retries: number;
  promptTokens: number;
  completionTokens: number;
  /** doName calls that threw a NamingError. */
  failures: number;
}

/** A namer backed by an LLM, with its usage counters. */
export interface OpenAINamer extends NamerV1 {
  readonly modelId: string;
  /** A snapshot of the counters. */
  usage(): NamerUsage;
}

/**
 * Names clusters with an OpenAI-compatible chat model: the prompt carries the ancestors' names,
 * the siblings' names and numbered samples; retries 429/5xx/timeouts with backoff honouring
 * Retry-After; caches answers on disk. Failures throw NamingError (the tree driver falls back).
 * No I/O until the first doName; `openai` is imported then.
 */
export function createOpenAINamer(settings: OpenAINamerSettings = {}): OpenAINamer {
  const model = settings.model ?? 'gpt-4o-mini';
  const limit = createLimiter(settings.concurrency ?? 8);
  const cache = settings.cacheDirectory ? createNamingCache(settings.cacheDirectory) : undefined;
  const usage: NamerUsage = { calls: 0, cachedHits: 0, retries: 0, promptTokens: 0, completionTokens: 0, failures: 0 };
  let connection: Promise<{ client: OpenAIClient; where: string }> | undefined;
  let sdk: typeof OpenAIClient | undefined; // its error classes tell timeouts from other failures
  const classify = (error: unknown) => classifyError(error, sdk);

  const connect = async () => {
    const baseURL = settings.baseURL ?? process.env.OPENAI_BASE_URL;
    const apiKey = settings.apiKey ?? process.env.OPENAI_API_KEY;
    if (!apiKey && !baseURL) {
      throw new NamingError('createOpenAINamer: no API key; set OPENAI_API_KEY or pass { apiKey }, or point { baseURL } at a server that needs none.');
    }
    let OpenAI: typeof OpenAIClient;
    try {
      OpenAI = (await import('openai')).default;
    } catch {
      throw new NamingError('createOpenAINamer needs the "openai" package: install it with `pnpm add openai` (or npm install openai).');
    }
    sdk = OpenAI;
    const client = new OpenAI({
      apiKey: apiKey || 'no-key', // OpenAI-compatible local servers accept any key
      baseURL,
      fetch: settings.fetch,
      maxRetries: 0, // retries are ours, so Retry-After and the counters are exact
      timeout: settings.timeoutMs ?? 60_000,
      logLevel: 'off',
    });
    return { client, where: describeServer(baseURL) };
  };

  const callOnce = async (request: NamingRequest) => {
    connection ??= connect();
    const { client } = await connection;
    const prompt = buildNamingPrompt(request, { sampleTokenBudget: settings.sampleTokenBudget });
    usage.calls++;
    // The SDK never removes the abort listener it adds to `signal`: give it a per-call signal, linked to the run's by one listener removed after the call.
    const call = linkedAbortSignal(request.abortSignal);
    const completion = await client.chat.completions.create(
      {
        model,
        messages: [
          { role: 'system', content: prompt.system },
          { role: 'user', content: prompt.user },
        ],
        ...(settings.temperature === null ? {} : { temperature: settings.temperature ?? 0 }),
        ...(settings.maxOutputTokens ? { max_tokens: settings.maxOutputTokens } : {}),
      },
      { timeout: settings.timeoutMs ?? 60_000, maxRetries: 0, signal: call.signal },
    ).finally(call.dispose);
    usage.promptTokens += completion.usage?.prompt_tokens ?? 0;
    usage.completionTokens += completion.usage?.completion_tokens ?? 0;
    const choice = completion.choices?.[0];
    if (choice === undefined) throw new NamingError('the server answered with no choices', { clusterId: request.clusterId });
    return parseNamingResponse(choice.message?.content);
  };

  return {
    specificationVersion: 'namer-v1',
    id: `openai:${model}`,
    modelId: model,
    usage: () => ({ ...usage }),
    async doName(request: NamingRequest) {
      const key = namingCacheKey({ promptVersion: NAMING_PROMPT_VERSION, model, samples: request.samples, parentPath: request.parentPath, siblingNames: request.siblingNames });
      const cached = await cache?.get(key);
      if (cached) {
        usage.cachedHits++;
        return { name: cached.name, description: cached.description, naming: 'llm' };
      }
      try {
        const named = await limit(() =>
          withRetries(() => callOnce(request), classify, {
            maxRetries: settings.maxRetries ?? 4,
            minDelayMs: settings.minRetryDelayMs ?? 500,
            maxDelayMs: settings.maxRetryDelayMs ?? 60_000,
            abortSignal: request.abortSignal,
            onRetry: (info) => {
              usage.retries++;
              settings.onRetry?.(info);
            },
          }),
        );
        await cache?.set(key, { ...named, model, promptVersion: NAMING_PROMPT_VERSION });
        return { ...named, naming: 'llm' };
      } catch (error) {
        if (request.abortSignal?.aborted) throw new AbortedError(`naming cluster ${request.clusterId} aborted`);
        usage.failures++;
        const where = connection ? (await connection.catch(() => undefined))?.where : undefined;
        throw toNamingError(error, classify(error), request.clusterId, model, where ?? 'the server', secretsFromSettings(settings));
      }
    },
  };
}

/** Whether a failed attempt is worth retrying, and after how long the server asked. */
function classifyError(error: unknown, sdk: typeof OpenAIClient | undefined): RetryDecision {
  if (NamingError.isInstance(error)) return { retryable: error.isRetryable, reason: error.message };
  if (sdk && error instanceof sdk.APIUserAbortError) return { retryable: false, reason: 'aborted' };
  if (sdk && error instanceof sdk.APIConnectionTimeoutError) return { retryable: true, reason: 'timed out' };
  if (sdk && error instanceof sdk.APIConnectionError) return { retryable: true, reason: 'connection failed' };
  const record = (typeof error === 'object' && error !== null ? error : {}) as { status?: unknown; headers?: unknown };
  const status = typeof record.status === 'number' ? record.status : undefined;
  if (status === undefined) return { retryable: false, reason: 'unexpected error' };
  const headers = record.headers instanceof Headers ? record.headers : undefined;
  const retryAfterMs = headerMs(headers?.get('retry-after-ms')) ?? parseRetryAfter(headers?.get('retry-after'));
  return { retryable: status === 408 || status === 409 || status === 429 || status >= 500, statusCode: status, retryAfterMs, reason: `HTTP ${status}` };
}

/** A NamingError that says what failed and what to do, with every secret removed. */
function toNamingError(error: unknown, decision: RetryDecision, clusterId: string, model: string, where: string, secrets: string[]): NamingError {
  const detail = error instanceof Error ? error.message : String(error);
  const hint =
    decision.statusCode === 401 || decision.statusCode === 403
      ? 'check the API key (OPENAI_API_KEY or { apiKey })'
      : decision.retryable
        ? 'the server kept failing; retry later, lower { concurrency } or raise { maxRetries, timeoutMs }'
        : 'check the model name and the server, or rely on the keyword fallback';
  const message = `naming cluster ${clusterId} with ${model} at ${where} failed: ${detail}; ${hint}`;
  return new NamingError(redact(message, secrets), { statusCode: decision.statusCode, isRetryable: decision.retryable, clusterId });
}

function redact(text: string, secrets: string[]): string {
  let out = text;
  for (const secret of secrets) if (secret.length >= 4) out = out.split(secret).join('[redacted]');
  return out;
}

function secretsFromSettings(settings: OpenAINamerSettings): string[] {
  return [settings.apiKey, process.env.OPENAI_API_KEY].filter((s): s is string => typeof s === 'string' && s !== '');
}

/** Host of the server without credentials, for messages. */
function describeServer(baseURL: string | undefined): string {
  if (!baseURL) return 'api.openai.com';
  try {
    return new URL(baseURL).host;
  } catch {
    return 'the configured baseURL';
  }
}

function headerMs(value: string | null | undefined): number | undefined {
  return value && /^\d+(\.\d+)?$/.test(value.trim()) ? Math.round(Number(value)) : undefined;
}

// A signal that aborts with `parent`; dispose() detaches it so nothing accumulates on a long-lived parent.
function linkedAbortSignal(parent: AbortSignal | undefined): { signal: AbortSignal | undefined; dispose: () => void } {
  if (parent === undefined) return { signal: undefined, dispose: () => undefined };
  const controller = new AbortController();
  const onAbort = () => controller.abort(parent.reason);
  if (parent.aborted) controller.abort(parent.reason);
  else parent.addEventListener('abort', onAbort, { once: true });
  return { signal: controller.signal, dispose: () => parent.removeEventListener('abort', onAbort) };
}
