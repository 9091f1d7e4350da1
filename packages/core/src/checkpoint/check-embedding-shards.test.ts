import { describe, expect, it } from 'vitest';
import { InvalidIndexError, PluginError } from '../errors.js';
import { checkShardRanges, checkShardRows } from './check-embedding-shards.js';

const shard = (file: string, start: number, end: number) => ({ file, start, end });

describe('checkShardRanges', () => {
  it('accepts shards that cover every row once, in any order', () => {
    expect(() => checkShardRanges([shard('b', 10, 25), shard('a', 0, 10)], 25, '/w')).not.toThrow();
  });

  it('names the missing rows, the duplicated rows and the shards involved', () => {
    const error = (shards: ReturnType<typeof shard>[], count: number) => {
      try {
        checkShardRanges(shards, count, '/w');
      } catch (caught) {
        expect(caught).toBeInstanceOf(InvalidIndexError);
        return (caught as Error).message;
      }
      return expect.fail('no error');
    };
    expect(error([shard('a', 0, 10), shard('b', 15, 20)], 20)).toMatch(/rows 10–14 are missing \(gap before b, which starts at row 15\)/);
    expect(error([shard('a', 0, 10), shard('b', 8, 20)], 20)).toMatch(/rows 8–9 are duplicated: both a and b hold them/);
    expect(error([shard('a', 0, 10)], 12)).toMatch(/rows 10–11 of 12 are missing \(after a\)/);
    expect(error([], 3)).toMatch(/rows 0–2 of 3 are missing \(no shards\)/);
    expect(error([shard('a', 0, 10)], 9)).toMatch(/a holds rows up to 9 but there are only 9 chunks/);
  });
});

describe('checkShardRows', () => {
  const options = { dimension: 2, plugin: 'mock', directory: '/w' };
  it('passes unit rows and names NaN/Inf and unnormalized rows by their corpus row', () => {
    expect(() => checkShardRows(Float32Array.of(1, 0, 0, 1), [2, 2], shard('s.npy', 4, 6), options)).not.toThrow();
    expect(() => checkShardRows(Float32Array.of(1, 0, Number.NaN, 0, 0, Infinity), [3, 2], shard('s.npy', 4, 7), options)).toThrow(
      /mock: s\.npy \(rows 4–6\): 2 row\(s\) hold NaN or Inf values: 5, 6/,
    );
    expect(() => checkShardRows(Float32Array.of(1, 0, 2, 0), [2, 2], shard('s.npy', 4, 6), options)).toThrow(PluginError);
    expect(() => checkShardRows(Float32Array.of(1, 0, 2, 0), [2, 2], shard('s.npy', 4, 6), options)).toThrow(/not L2-normalized: 5 \(norm 2\.0000\)/);
  });

  it('throws an InvalidIndexError for a shard of the wrong shape', () => {
    expect(() => checkShardRows(new Float32Array(6), [2, 3], shard('s.npy', 0, 2), options)).toThrow(InvalidIndexError);
    expect(() => checkShardRows(new Float32Array(6), [3, 2], shard('s.npy', 0, 2), options)).toThrow(/s\.npy has shape \(3, 2\) but should hold rows 0–1 as \(2, 2\)/);
  });
});
