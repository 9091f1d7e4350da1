import { AbortedError } from '../errors.js';

/**
 * Maps items through an async function with at most `limit` calls in flight, starting them in
 * order and returning results in input order. The first rejection stops new starts and is thrown
 * once the calls already in flight have settled (so none keeps running unseen).
 */
export async function mapWithConcurrency<T, R>(
  items: readonly T[],
  limit: number,
  fn: (item: T, index: number) => Promise<R>,
  options: { abortSignal?: AbortSignal } = {},
): Promise<R[]> {
  const workers = Math.max(1, Math.min(Math.floor(limit) || 1, items.length));
  const results = new Array<R>(items.length);
  let next = 0;
  let failure: { error: unknown } | undefined;
  const work = async () => {
    while (failure === undefined && next < items.length) {
      if (options.abortSignal?.aborted) {
        failure ??= { error: new AbortedError('mapWithConcurrency: aborted before all items were processed') };
        return;
      }
      const index = next++;
      try {
        results[index] = await fn(items[index]!, index);
      } catch (error) {
        failure ??= { error };
      }
    }
  };
  await Promise.all(Array.from({ length: items.length === 0 ? 0 : workers }, work));
  if (failure !== undefined) throw failure.error;
  return results;
}
