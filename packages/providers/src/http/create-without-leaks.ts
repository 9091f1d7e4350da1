import { CorpusProximityError, type ProgressListener } from '@corpus-proximity/core';
import { ProviderError } from '../provider-error.js';
import { retryDelayMs, type RetryPolicy } from './retry-policy.js';
import { sleep } from './sleep.js';

/** What the create step needs to never leave an instance it cannot report. */
export interface CreateWithoutLeaksOptions<T> {
  providerId: string;
  name: string;
  create: () => Promise<T>;
  /** Looks the instance up by its exact name; must not use the caller's abort signal. */
  findByName: () => Promise<T | undefined>;
  /** Destroys an instance found after the caller aborted. */
  terminate: (instance: T) => Promise<void>;
  idOf: (instance: T) => string;
  policy: RetryPolicy;
  /** Create attempts in all (default 3). */
  maxAttempts?: number;
  abortSignal?: AbortSignal;
  onProgress?: ProgressListener;
}

/**
 * Creates an instance so that none bills unseen: refuses a name already in use, and after a failed
 * create call (a 500 can come after the instance was made) looks it up by name before trying again.
 * An instance found after the caller aborted is destroyed before the AbortedError is thrown.
 */
export async function createWithoutLeaks<T>(options: CreateWithoutLeaksOptions<T>): Promise<T> {
  const { providerId, name } = options;
  const existing = await options.findByName();
  if (existing !== undefined) {
    throw new ProviderError(
      'name-taken',
      `${providerId}: an instance named ${name} already exists (id ${options.idOf(existing)}); reuse it with --use-existing ${name}, or terminate it (corpus-proximity remote cleanup)`,
      { providerId, instanceId: options.idOf(existing) },
    );
  }
  const maxAttempts = options.maxAttempts ?? 3;
  for (let attempt = 1; ; attempt++) {
    try {
      return await options.create();
    } catch (error) {
      let found: T | undefined;
      try {
        found = await options.findByName();
      } catch (lookupError) {
        throw new ProviderError(
          'provider-api',
          `${providerId}: creating ${name} failed (${describe(error)}) and looking it up by name failed too (${describe(lookupError)}); an instance named ${name} may exist and bill: check with corpus-proximity remote list`,
          { providerId, isRetryable: false, cause: error },
        );
      }
      if (found !== undefined) {
        if ((CorpusProximityError.isInstance(error) && error.code === 'aborted') || options.abortSignal?.aborted) {
          await options.terminate(found);
          throw error;
        }
        options.onProgress?.({ stage: 'provision', done: 0, message: `${name}: the create call failed but the instance exists (id ${options.idOf(found)}); using it` });
        return found;
      }
      const retryable = ProviderError.isInstance(error) && error.isRetryable;
      if (!retryable || attempt >= maxAttempts || options.abortSignal?.aborted) throw error;
      const delayMs = retryDelayMs(options.policy, attempt - 1, undefined);
      options.onProgress?.({ stage: 'provision', done: 0, message: `${name}: create failed (${describe(error)}); not created, retrying in ${delayMs} ms` });
      await sleep(delayMs, options.abortSignal, `${providerId} create retry`);
    }
  }
}

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
