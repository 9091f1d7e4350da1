import { AbortedError } from '@corpus-proximity/core';
import { ProviderTimeoutError } from '../provider-error.js';
import { sleep } from './sleep.js';

/** How long to wait and how often to look. */
export interface WaitOptions {
  timeoutMs: number;
  pollMs?: number;
  abortSignal?: AbortSignal;
}

/**
 * Calls `check` until it gives a value, throwing ProviderTimeoutError at the deadline (each check
 * gets a signal that fires at the deadline, so a hanging call cannot outlive it).
 */
export async function waitUntil<T>(
  check: (signal: AbortSignal) => Promise<T | undefined>,
  options: WaitOptions & { providerId: string; instanceId?: string; timeoutMessage: () => string },
): Promise<T> {
  const deadline = Date.now() + options.timeoutMs;
  const pollMs = options.pollMs ?? 5_000;
  const timeout = AbortSignal.timeout(Math.max(1, options.timeoutMs));
  const signal = options.abortSignal ? AbortSignal.any([options.abortSignal, timeout]) : timeout;
  const timedOut = () =>
    new ProviderTimeoutError(options.timeoutMessage(), { providerId: options.providerId, timeoutMs: options.timeoutMs, instanceId: options.instanceId });
  for (;;) {
    if (options.abortSignal?.aborted) throw new AbortedError(`${options.providerId}: wait for ${options.instanceId ?? 'instance'} aborted`);
    if (Date.now() >= deadline) throw timedOut();
    try {
      const value = await check(signal);
      if (value !== undefined) return value;
    } catch (error) {
      if (timeout.aborted && !options.abortSignal?.aborted) throw timedOut();
      throw error;
    }
    const left = deadline - Date.now();
    if (left <= 0) throw timedOut();
    try {
      await sleep(Math.min(pollMs, left), signal);
    } catch (error) {
      if (timeout.aborted && !options.abortSignal?.aborted) throw timedOut();
      throw error;
    }
  }
}
