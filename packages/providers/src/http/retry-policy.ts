/** How idempotent provider calls are retried on 429, 5xx and dropped connections. */
export interface RetryPolicy {
  /** Retries after the first attempt (default 4). */
  maxRetries?: number;
  /** Backoff before the first retry; doubles each time, with jitter (default 500 ms). */
  minRetryDelayMs?: number;
  /** Longest single wait, Retry-After included (default 30 s). */
  maxRetryDelayMs?: number;
  /** Called before each wait (logging, tests). */
  onRetry?: (info: { attempt: number; delayMs: number; statusCode?: number; reason: string }) => void;
}

/** The delay before retry number `retry` (0-based): the server's Retry-After when given, else jittered backoff. */
export function retryDelayMs(policy: RetryPolicy, retry: number, retryAfterMs: number | undefined, random = Math.random): number {
  const min = policy.minRetryDelayMs ?? 500;
  const max = policy.maxRetryDelayMs ?? 30_000;
  const backoff = min * 2 ** retry;
  return Math.min(max, retryAfterMs ?? Math.round(backoff / 2 + random() * (backoff / 2)));
}

/** A Retry-After header (delay-seconds or an HTTP date) in milliseconds; undefined when absent or unusable. */
export function parseRetryAfter(value: string | null | undefined, now = Date.now()): number | undefined {
  if (value === null || value === undefined || value.trim() === '') return undefined;
  const trimmed = value.trim();
  if (/^\d+(\.\d+)?$/.test(trimmed)) return Math.round(Number(trimmed) * 1000);
  const date = Date.parse(trimmed);
  return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}
