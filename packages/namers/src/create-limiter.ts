/** Runs async functions with at most `limit` in flight, in the order they were submitted. */
export function createLimiter(limit: number): <T>(fn: () => Promise<T>) => Promise<T> {
  const max = Math.max(1, Math.floor(limit) || 1);
  let active = 0;
  const waiting: (() => void)[] = [];
  return async <T>(fn: () => Promise<T>): Promise<T> => {
    if (active >= max) await new Promise<void>((resolve) => waiting.push(resolve));
    else active++;
    try {
      return await fn();
    } finally {
      const next = waiting.shift();
      // Hand the slot straight to the next caller so `active` never dips and lets a newcomer jump the queue.
      if (next) next();
      else active--;
    }
  };
}
