import { AbortedError } from './errors.js';

/** Waits `ms`, or rejects with `abortError()` (default: an AbortedError) as soon as the signal fires; the timer and listener never outlive the wait. */
export function abortableSleep(ms: number, signal?: AbortSignal, abortError: () => Error = () => new AbortedError('wait aborted')): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(abortError());
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    const onAbort = () => {
      clearTimeout(timer);
      reject(abortError());
    };
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}
