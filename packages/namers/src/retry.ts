import { abortableSleep } from '@corpus-proximity/core/internal';
import { AbortedError } from '@corpus-proximity/core';

/** How a failed call is retried. */
export interface RetryPolicy {
  /** Retries after the first attempt. */
  maxRetries: number;
  /** Backoff before the first retry; doubles each time, with full jitter. */
  minDelayMs: number;
  /** Longest wait, Retry-After included. */
  maxDelayMs: number;
  /** Called before each wait (logging, tests). */
  onRetry?: (info: { attempt: number; delayMs: number; statusCode?: number; reason: string }) => void;
  random?: () => number;
  abortSignal?: AbortSignal;
}

/** What a failed attempt tells the retry loop. */
export interface RetryDecision {
  retryable: boolean;
  statusCode?: number;
  /** Server-requested wait (Retry-After), in milliseconds. */
  retryAfterMs?: number;
  reason: string;
}

/**
 * Runs `attempt` until it succeeds, the error is not retryable, or retries run out. Waits the
 * server's Retry-After when given, else exponential backoff with full jitter.
 */
export async function withRetries<T>(attempt: () => Promise<T>, classify: (error: unknown) => RetryDecision, policy: RetryPolicy): Promise<T> {
  const random = policy.random ?? Math.random;
  for (let retry = 0; ; retry++) {
    try {
      return await attempt();
    } catch (error) {
      const decision = classify(error);
      if (!decision.retryable || retry >= policy.maxRetries || policy.abortSignal?.aborted) throw error;
      const backoff = policy.minDelayMs * 2 ** retry;
      const delayMs = Math.min(policy.maxDelayMs, decision.retryAfterMs ?? Math.round(backoff / 2 + random() * (backoff / 2)));
      policy.onRetry?.({ attempt: retry + 1, delayMs, statusCode: decision.statusCode, reason: decision.reason });
      await sleep(delayMs, policy.abortSignal);
    }
  }
}

/** A Retry-After header value (delay-seconds or an HTTP date) in milliseconds from `now`; undefined when unusable. */
export function parseRetryAfter(value: string | null | undefined, now = Date.now()): number | undefined {
  if (value === null || value === undefined || value.trim() === '') return undefined;
  const trimmed = value.trim();
  if (/^\d+(\.\d+)?$/.test(trimmed)) return Math.round(Number(trimmed) * 1000);
  const date = Date.parse(trimmed);
  if (Number.isNaN(date)) return undefined;
  return Math.max(0, date - now);
}

function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return abortableSleep(ms, signal, () => new AbortedError('naming retry wait aborted'));
}
