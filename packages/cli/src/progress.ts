import type { ProgressEvent, ProgressListener } from '@corpus-proximity/core';

/** A progress reporter on stderr: one redrawn line with percent and ETA on a terminal, a line every few seconds otherwise. */
export function createProgressReporter(options: { stream?: NodeJS.WriteStream; quiet?: boolean; intervalMs?: number } = {}): ProgressListener & { finish(): void } {
  const stream = options.stream ?? process.stderr;
  const interactive = stream.isTTY === true;
  const intervalMs = options.intervalMs ?? (interactive ? 100 : 5000);
  let stage = '';
  let stageStart = 0;
  let lastDraw = 0;
  let drawn = false;
  let last: ProgressEvent | undefined;
  // On a terminal, redraw every second so the elapsed time moves during long silent steps (UMAP).
  const ticker = interactive && !options.quiet ? setInterval(() => last && draw(last, Date.now()), 1000) : undefined;
  ticker?.unref();
  const draw = (event: ProgressEvent, now: number) => {
    const line = formatProgress(event, now - stageStart);
    if (interactive) stream.write(`\r\x1b[2K${line}`);
    else stream.write(`${line}\n`);
    drawn = true;
  };

  const report = ((event: ProgressEvent) => {
    if (options.quiet) return;
    const now = Date.now();
    const finished = event.total !== undefined && event.done >= event.total;
    if (event.stage !== stage) {
      if (drawn && interactive) stream.write('\n');
      stage = event.stage;
      stageStart = now;
      lastDraw = 0;
      drawn = false;
    }
    last = event;
    if (!finished && now - lastDraw < intervalMs) return;
    lastDraw = now;
    draw(event, now);
  }) as ProgressListener & { finish(): void };
  report.finish = () => {
    last = undefined;
    if (drawn && interactive) stream.write('\n');
    drawn = false;
  };
  return report;
}

/** One progress line: "[embed] 1,200/5,000 24% · 12.3s · ETA 39s · message". */
export function formatProgress(event: ProgressEvent, elapsedMs: number): string {
  const parts = [`[${event.stage}]`];
  if (event.total !== undefined && event.total > 0) {
    const fraction = Math.min(1, event.done / event.total);
    parts.push(`${event.done.toLocaleString('en-US')}/${event.total.toLocaleString('en-US')} ${(fraction * 100).toFixed(0)}%`);
    parts.push(formatSeconds(elapsedMs));
    if (fraction > 0 && fraction < 1) parts.push(`ETA ${formatSeconds((elapsedMs / fraction) * (1 - fraction))}`);
  } else {
    parts.push(formatSeconds(elapsedMs));
  }
  const line = parts.join(' · ').replace(' · ', ' ');
  return event.message ? `${line} · ${event.message}` : line;
}

function formatSeconds(ms: number): string {
  const seconds = ms / 1000;
  if (seconds < 60) return `${seconds.toFixed(1)}s`;
  const minutes = Math.floor(seconds / 60);
  return `${minutes}m${Math.round(seconds % 60).toString().padStart(2, '0')}s`;
}
