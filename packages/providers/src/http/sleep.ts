import { AbortedError } from '@corpus-proximity/core';
import { abortableSleep } from '@corpus-proximity/core/internal';

/** Waits `ms`, or rejects with AbortedError as soon as the signal fires. */
export function sleep(ms: number, signal?: AbortSignal, what = 'wait'): Promise<void> {
  return abortableSleep(ms, signal, () => new AbortedError(`${what} aborted`));
}
