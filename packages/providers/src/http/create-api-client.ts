import { AbortedError } from '@corpus-proximity/core';
import { MissingApiKeyError, ProviderError } from '../provider-error.js';
import { parseRetryAfter, retryDelayMs, type RetryPolicy } from './retry-policy.js';
import { sleep } from './sleep.js';

/** Settings of one provider's HTTP client. */
export interface ApiClientSettings extends RetryPolicy {
  providerId: string;
  /** Base URL, or a function giving it (read on each request, e.g. from an environment variable). */
  baseURL: string | (() => string);
  /** Environment variable the key is read from when `apiKey` is not given. */
  envVar: string;
  apiKey?: string;
  fetch?: typeof globalThis.fetch;
  /** Limit on one HTTP request (default 30 s). */
  requestTimeoutMs?: number;
}

/** One call to a provider's API. */
export interface ApiRequest {
  method: 'GET' | 'POST' | 'PUT' | 'DELETE';
  /** Path under baseURL, or an absolute URL (GraphQL lives elsewhere on RunPod). */
  path: string;
  body?: unknown;
  /** Safe to repeat: retried on 429, 5xx, timeouts and dropped connections. */
  idempotent: boolean;
  /** Statuses returned to the caller instead of thrown (e.g. 404 on lookup or delete). */
  allowStatus?: number[];
  abortSignal?: AbortSignal;
}

/** A provider's HTTP client: bearer auth, JSON, typed errors, retries, keys kept out of messages. */
export interface ApiClient {
  request(request: ApiRequest): Promise<{ status: number; body: unknown }>;
  /** The key (read lazily; throws MissingApiKeyError). */
  apiKey(): string;
  /** `text` with the key removed. */
  redact(text: string): string;
}

/** Creates the client; nothing is read or sent until the first request. */
export function createApiClient(settings: ApiClientSettings): ApiClient {
  const { providerId, envVar } = settings;
  const apiKey = () => {
    const key = settings.apiKey ?? process.env[envVar];
    if (key === undefined || key.trim() === '') throw new MissingApiKeyError(providerId, envVar);
    return key.trim();
  };
  const redact = (text: string) => {
    const key = settings.apiKey ?? process.env[envVar];
    return key && key.trim().length >= 4 ? text.split(key.trim()).join('[redacted]') : text;
  };

  const once = async (request: ApiRequest, key: string): Promise<{ status: number; body: unknown; retryAfterMs?: number }> => {
    const base = typeof settings.baseURL === 'function' ? settings.baseURL() : settings.baseURL;
    const url = /^https?:\/\//.test(request.path) ? request.path : `${base.replace(/\/+$/, '')}${request.path}`;
    const where = `${request.method} ${describeUrl(url)}`;
    const timeoutMs = settings.requestTimeoutMs ?? 30_000;
    const timeout = AbortSignal.timeout(timeoutMs);
    const signal = request.abortSignal ? AbortSignal.any([request.abortSignal, timeout]) : timeout;
    let response: Response;
    let text: string;
    try {
      response = await (settings.fetch ?? globalThis.fetch)(url, {
        method: request.method,
        headers: { authorization: `Bearer ${key}`, accept: 'application/json', ...(request.body === undefined ? {} : { 'content-type': 'application/json' }) },
        body: request.body === undefined ? undefined : JSON.stringify(request.body),
        signal,
      });
      text = await response.text();
    } catch (error) {
      if (request.abortSignal?.aborted) throw new AbortedError(`${providerId}: ${where} aborted`);
      const reason = timeout.aborted ? `timed out after ${timeoutMs} ms` : `failed: ${(error as Error)?.message ?? String(error)}`;
      throw new ProviderError('provider-api', redact(`${providerId}: ${where} ${reason}; check the network and ${base.includes('127.0.0.1') ? 'the test server' : 'the provider status page'}`), {
        providerId,
        isRetryable: true,
        cause: error,
      });
    }
    let body: unknown = undefined;
    if (text.trim() !== '') {
      try {
        body = JSON.parse(text);
      } catch {
        if (response.ok) throw unexpected(providerId, where, `a body that is not JSON (${snippet(redact(text))})`);
        body = text;
      }
    }
    if (response.ok || request.allowStatus?.includes(response.status)) return { status: response.status, body };
    const status = response.status;
    const detail = snippet(redact(typeof body === 'string' ? body : JSON.stringify(body ?? '')));
    if (status === 401 || status === 403) {
      throw new ProviderError('authentication', `${providerId}: ${where} was refused (HTTP ${status}${detail ? `: ${detail}` : ''}); check the API key in ${envVar} or { apiKey }`, {
        providerId,
        statusCode: status,
      });
    }
    const retryable = status === 408 || status === 429 || status >= 500;
    const hint = retryable ? 'the provider is failing or rate-limiting; try again later' : 'check the request (GPU type, image, sizes)';
    const error = new ProviderError('provider-api', redact(`${providerId}: ${where} failed with HTTP ${status}${detail ? `: ${detail}` : ''}; ${hint}`), {
      providerId,
      statusCode: status,
      isRetryable: retryable,
    });
    throw Object.assign(error, { retryAfterMs: parseRetryAfter(response.headers.get('retry-after')) });
  };

  return {
    apiKey,
    redact,
    async request(request) {
      const key = apiKey();
      const maxRetries = request.idempotent ? (settings.maxRetries ?? 4) : 0;
      for (let retry = 0; ; retry++) {
        try {
          const { status, body } = await once(request, key);
          return { status, body };
        } catch (error) {
          if (!ProviderError.isInstance(error) || !error.isRetryable || retry >= maxRetries || request.abortSignal?.aborted) throw error;
          const delayMs = retryDelayMs(settings, retry, (error as { retryAfterMs?: number }).retryAfterMs);
          settings.onRetry?.({ attempt: retry + 1, delayMs, statusCode: error.statusCode, reason: error.message });
          await sleep(delayMs, request.abortSignal, `${providerId} retry`);
        }
      }
    },
  };
}

/** An error for an answer whose shape is not the documented one (never read as "nothing there"). */
export function unexpected(providerId: string, where: string, what: string): ProviderError {
  return new ProviderError('unexpected-response', `${providerId}: ${where} answered ${what}; the API may have changed — update @corpus-proximity/providers or report it`, {
    providerId,
  });
}

/** The body as a short string for an error message. */
export function snippet(text: string, max = 300): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  return flat.length > max ? `${flat.slice(0, max)}…` : flat;
}

/** Origin and path of a URL, without credentials or query string. */
function describeUrl(url: string): string {
  try {
    const parsed = new URL(url);
    return `${parsed.origin}${parsed.pathname}`;
  } catch {
    return 'the provider API';
  }
}
