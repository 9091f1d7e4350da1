import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { createProgressReporter, formatProgress } from './progress.js';

describe('progress', () => {
  it('formats percent, elapsed time and an ETA when the total is known', () => {
    expect(formatProgress({ stage: 'embed', done: 250, total: 1000 }, 10_000)).toBe('[embed] 250/1,000 25% · 10.0s · ETA 30.0s');
    expect(formatProgress({ stage: 'embed', done: 1000, total: 1000 }, 125_000)).toBe('[embed] 1,000/1,000 100% · 2m05s');
    expect(formatProgress({ stage: 'cluster', done: 3, message: 'splitting 0.1' }, 1500)).toBe('[cluster] 1.5s · splitting 0.1');
  });

  it('writes one line per interval without a terminal, and always the final one', () => {
    const stream = new PassThrough() as unknown as NodeJS.WriteStream;
    let written = '';
    (stream as unknown as PassThrough).on('data', (data) => (written += data));
    const report = createProgressReporter({ stream, intervalMs: 60_000 });
    report({ stage: 'embed', done: 1, total: 3 });
    report({ stage: 'embed', done: 2, total: 3 });
    report({ stage: 'embed', done: 3, total: 3 });
    report.finish();
    const lines = written.trim().split('\n');
    expect(lines).toHaveLength(2);
    expect(lines[0]).toMatch(/^\[embed\] 1\/3 33%/);
    expect(lines[1]).toMatch(/^\[embed\] 3\/3 100%/);
  });
});
