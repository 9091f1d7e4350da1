import type { ProgressListener } from '@corpus-proximity/core';
import { RemoteRunError } from './remote-run-error.js';

/** Runs one step with a deadline: `work` gets a signal that fires on the deadline or the caller's abort. */
export async function runStep<T>(
  name: string,
  options: {
    timeoutMs: number;
    abortSignal?: AbortSignal;
    onProgress?: ProgressListener;
    /** Called with a result that arrives after the step was cancelled (e.g. an instance to terminate). */
    late?: (result: T) => Promise<void>;
  },
  work: (signal: AbortSignal) => Promise<T>,
): Promise<T> {
  if (options.abortSignal?.aborted) throw new RemoteRunError('aborted', `cancelled before ${name}`, { step: name });
  const deadline = new AbortController();
  const timer = setTimeout(() => deadline.abort(), options.timeoutMs);
  timer.unref?.();
  const signal = options.abortSignal ? AbortSignal.any([options.abortSignal, deadline.signal]) : deadline.signal;
  options.onProgress?.({ stage: name, done: 0, message: `${name}: started` });
  const working = work(signal);
  try {
    const result = await Promise.race([
      working,
      new Promise<never>((_, reject) => {
        const onAbort = () => reject(new RemoteRunError('aborted', `cancelled during ${name}`, { step: name }));
        if (signal.aborted) onAbort();
        signal.addEventListener('abort', onAbort, { once: true });
      }),
    ]);
    options.onProgress?.({ stage: name, done: 1, total: 1, message: `${name}: done` });
    return result;
  } catch (error) {
    if (signal.aborted && options.late) {
      // Wait (bounded) for work that ignored the signal, and undo what it made (never leave an unseen instance).
      const late = options.late;
      const settled = await Promise.race([working.then((value) => ({ value }), () => undefined), new Promise<undefined>((resolve) => setTimeout(() => resolve(undefined), 60_000).unref?.())]);
      if (settled !== undefined) await late(settled.value).catch(() => undefined);
    } else working.catch(() => undefined);
    if (deadline.signal.aborted && !options.abortSignal?.aborted) {
      throw new RemoteRunError('deadline', `${name} did not finish within ${Math.round(options.timeoutMs / 1000)} s`, { step: name, cause: error });
    }
    if (options.abortSignal?.aborted && !(RemoteRunError.isInstance(error) && error.code === 'aborted')) {
      throw new RemoteRunError('aborted', `cancelled during ${name}`, { step: name, cause: error });
    }
    throw error;
  } finally {
    clearTimeout(timer);
  }
}
