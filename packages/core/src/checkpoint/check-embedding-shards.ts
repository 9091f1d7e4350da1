import { InvalidIndexError, PluginError } from '../errors.js';

/** A shard of embedding rows: its file name and the chunk rows [start, end) it holds. */
export interface ShardRange {
  file: string;
  start: number;
  end: number;
}

/**
 * Throws an InvalidIndexError when the shards do not cover rows [0, count) exactly once: names the
 * missing rows (a gap, or rows after the last shard) or the rows two shards both claim.
 */
export function checkShardRanges(shards: readonly ShardRange[], count: number, directory: string): void {
  const fail = (message: string): never => {
    throw new InvalidIndexError(`${directory}: ${message}; delete the bad shard(s) and re-embed those rows (rerun the same command)`, { directory });
  };
  const sorted = [...shards].sort((a, b) => a.start - b.start || a.end - b.end);
  let expected = 0;
  let previous: ShardRange | undefined;
  for (const shard of sorted) {
    if (!Number.isInteger(shard.start) || !Number.isInteger(shard.end) || shard.end <= shard.start) {
      fail(`${shard.file} has an empty or invalid row range ${shard.start}–${shard.end}`);
    }
    if (shard.start > expected) fail(`rows ${rangeText(expected, shard.start)} are missing (gap before ${shard.file}, which starts at row ${shard.start})`);
    if (shard.start < expected) {
      fail(`rows ${rangeText(shard.start, Math.min(expected, shard.end))} are duplicated: both ${previous!.file} and ${shard.file} hold them`);
    }
    expected = shard.end;
    previous = shard;
  }
  if (expected < count) fail(`rows ${rangeText(expected, count)} of ${count} are missing${previous ? ` (after ${previous.file})` : ' (no shards)'}`);
  if (expected > count) fail(`${previous!.file} holds rows up to ${expected - 1} but there are only ${count} chunks`);
}

/**
 * Checks the rows of one shard: the shape is (end − start) × dimension, every value finite and every
 * row L2-normalized (within tolerance). A bad shape throws InvalidIndexError; bad values throw a
 * PluginError for `plugin` naming the shard, how many rows are bad and the first few of them.
 */
export function checkShardRows(
  data: Float32Array,
  shape: readonly number[],
  shard: ShardRange,
  options: { dimension: number; plugin: string; directory: string; tolerance?: number },
): void {
  const rows = shard.end - shard.start;
  const { dimension } = options;
  if (shape.length !== 2 || shape[0] !== rows || shape[1] !== dimension || data.length !== rows * dimension) {
    throw new InvalidIndexError(
      `${options.directory}: ${shard.file} has shape (${shape.join(', ')}) but should hold rows ${rangeText(shard.start, shard.end)} as (${rows}, ${dimension}); delete it and rerun to re-embed those rows`,
      { directory: options.directory, file: shard.file },
    );
  }
  const tolerance = options.tolerance ?? 1e-2;
  const nonFinite: number[] = [];
  const unnormalized: Array<{ row: number; norm: number }> = [];
  for (let row = 0; row < rows; row++) {
    let norm = 0;
    let finite = true;
    for (let d = row * dimension, end = d + dimension; d < end; d++) {
      const value = data[d]!;
      if (!Number.isFinite(value)) finite = false;
      norm += value * value;
    }
    if (!finite) nonFinite.push(shard.start + row);
    else if (Math.abs(Math.sqrt(norm) - 1) > tolerance) unnormalized.push({ row: shard.start + row, norm: Math.sqrt(norm) });
  }
  if (nonFinite.length > 0) {
    throw new PluginError(options.plugin, `${shard.file} (rows ${rangeText(shard.start, shard.end)}): ${nonFinite.length} row(s) hold NaN or Inf values: ${firstFew(nonFinite)}`);
  }
  if (unnormalized.length > 0) {
    const shown = unnormalized.slice(0, 5).map(({ row, norm }) => `${row} (norm ${norm.toFixed(4)})`);
    throw new PluginError(
      options.plugin,
      `${shard.file} (rows ${rangeText(shard.start, shard.end)}): ${unnormalized.length} row(s) are not L2-normalized: ${shown.join(', ')}${unnormalized.length > 5 ? ', …' : ''}`,
    );
  }
}

/** "a–b" for the inclusive rows of [start, end). */
export function rangeText(start: number, end: number): string {
  return end - start === 1 ? `${start}` : `${start}–${end - 1}`;
}

function firstFew(rows: number[]): string {
  return `${rows.slice(0, 5).join(', ')}${rows.length > 5 ? ', …' : ''}`;
}
