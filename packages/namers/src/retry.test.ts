import { describe, expect, it } from 'vitest';
import { parseRetryAfter, withRetries } from './retry.js';

describe('parseRetryAfter', () => {
  it('reads seconds and HTTP dates', () => {
    expect(parseRetryAfter('2')).toBe(2000);
    expect(parseRetryAfter('0.5')).toBe(500);
    const now = Date.parse('Thu, 26 Nov 2026 10:00:00 GMT');
    expect(parseRetryAfter('Thu, 26 Nov 2026 10:00:07 GMT', now)).toBe(7000);
    expect(parseRetryAfter('Thu, 26 Nov 2026 09:59:00 GMT', now)).toBe(0);
    expect(parseRetryAfter('soon')).toBeUndefined();
    expect(parseRetryAfter(null)).toBeUndefined();
  });
});

describe('withRetries', () => {
  it('backs off exponentially with jitter, honours Retry-After and stops at maxRetries', async () => {
    const delays: number[] = [];
    let attempts = 0;
    const failing = withRetries(
      async () => {
        attempts++;
        throw new Error(`fail ${attempts}`);
      },
      () => ({ retryable: true, reason: 'x', retryAfterMs: attempts === 2 ? 3 : undefined }),
      { maxRetries: 3, minDelayMs: 4, maxDelayMs: 100, random: () => 1, onRetry: ({ delayMs }) => delays.push(delayMs) },
    );
    await expect(failing).rejects.toThrow('fail 4');
    expect(delays).toEqual([4, 3, 16]);
  });

  it('does not retry what is not retryable', async () => {
    let attempts = 0;
    const run = withRetries(async () => { attempts++; throw new Error('bad request'); }, () => ({ retryable: false, reason: 'x' }), { maxRetries: 5, minDelayMs: 1, maxDelayMs: 1 });
    await expect(run).rejects.toThrow('bad request');
    expect(attempts).toBe(1);
    expect(await withRetries(async () => 7, () => ({ retryable: true, reason: 'x' }), { maxRetries: 1, minDelayMs: 1, maxDelayMs: 1 })).toBe(7);
  });
});
