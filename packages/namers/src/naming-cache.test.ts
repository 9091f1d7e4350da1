import { mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createNamingCache, namingCacheKey } from './naming-cache.js';

let directory: string;
beforeEach(async () => {
  directory = join(await mkdtemp(join(tmpdir(), 'naming-cache-')), 'nested', 'cache');
});
afterEach(async () => rm(join(directory, '..', '..'), { recursive: true, force: true }));

const parts = { promptVersion: 'v1', model: 'm', samples: ['a', 'b'], parentPath: ['P'], siblingNames: ['S'] };

describe('naming cache', () => {
  it('keys on every part that decides the answer', () => {
    const key = namingCacheKey(parts);
    expect(key).toMatch(/^[0-9a-f]{64}$/);
    expect(namingCacheKey({ ...parts })).toBe(key);
    for (const changed of [{ promptVersion: 'v2' }, { model: 'n' }, { samples: ['a'] }, { parentPath: [] }, { siblingNames: ['T'] }]) {
      expect(namingCacheKey({ ...parts, ...changed })).not.toBe(key);
    }
    expect(namingCacheKey({ ...parts, samples: ['ab'] })).not.toBe(namingCacheKey({ ...parts, samples: ['a', 'b'] }));
  });

  it('stores answers atomically and treats a broken file as a miss', async () => {
    const cache = createNamingCache(directory);
    const key = namingCacheKey(parts);
    expect(await cache.get(key)).toBeUndefined();
    await cache.set(key, { name: 'Bird Anatomy', description: 'Birds.', model: 'm', promptVersion: 'v1' });
    expect(await cache.get(key)).toEqual({ name: 'Bird Anatomy', description: 'Birds.', model: 'm', promptVersion: 'v1' });
    expect(await readdir(directory)).toEqual([`${key}.json`]);
    await writeFile(join(directory, `${key}.json`), '{"name": "Bird', 'utf8');
    expect(await cache.get(key)).toBeUndefined();
  });
});
