import { describe, expect, it } from 'vitest';
import { AbortedError } from '../errors.js';
import { mapWithConcurrency } from './map-with-concurrency.js';

const tick = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('mapWithConcurrency', () => {
  it('keeps input order and never exceeds the limit, while running in parallel', async () => {
    let inFlight = 0;
    let max = 0;
    const started: number[] = [];
    const results = await mapWithConcurrency([5, 1, 4, 2, 3, 1, 2, 5, 1, 3], 3, async (ms, index) => {
      started.push(index);
      max = Math.max(max, ++inFlight);
      await tick(ms);
      inFlight--;
      return ms * 10 + index;
    });
    expect(results).toEqual([50, 11, 42, 23, 34, 15, 26, 57, 18, 39]);
    expect(started).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
    expect(max).toBe(3);
  });

  it('handles an empty list and limits below one', async () => {
    expect(await mapWithConcurrency([], 4, async () => 1)).toEqual([]);
    expect(await mapWithConcurrency([1, 2], 0, async (x) => x * 2)).toEqual([2, 4]);
  });

  it('stops starting new items after a rejection and rethrows it once in-flight calls settle', async () => {
    const started: number[] = [];
    let settled = 0;
    const failing = mapWithConcurrency([0, 1, 2, 3, 4, 5], 2, async (x) => {
      started.push(x);
      await tick(x === 1 ? 1 : 5);
      settled++;
      if (x === 1) throw new Error('item 1 failed');
      return x;
    });
    await expect(failing).rejects.toThrow('item 1 failed');
    expect(started).toEqual([0, 1]);
    expect(settled).toBe(2);
  });

  it('stops on abort', async () => {
    const controller = new AbortController();
    const seen: number[] = [];
    const run = mapWithConcurrency([1, 2, 3, 4], 1, async (x) => {
      seen.push(x);
      if (x === 2) controller.abort();
      return x;
    }, { abortSignal: controller.signal });
    await expect(run).rejects.toBeInstanceOf(AbortedError);
    expect(seen).toEqual([1, 2]);
  });
});
