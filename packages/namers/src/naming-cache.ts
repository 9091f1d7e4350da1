import { createHash, randomBytes } from 'node:crypto';
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

/** A cached naming answer, one JSON file per key. */
export interface CachedName {
  name: string;
  description?: string;
  model: string;
  promptVersion: string;
}

/** The parts of a naming call that decide its answer. */
export interface NamingCacheKeyParts {
  promptVersion: string;
  model: string;
  samples: string[];
  parentPath: string[];
  siblingNames: string[];
}

/** sha256 (hex) of the parts that decide a naming answer. */
export function namingCacheKey(parts: NamingCacheKeyParts): string {
  const { promptVersion, model, samples, parentPath, siblingNames } = parts;
  return createHash('sha256').update(JSON.stringify([promptVersion, model, samples, parentPath, siblingNames])).digest('hex');
}

/** A folder of cached names; writes go to a temporary file that is renamed, so readers never see half a file. */
export function createNamingCache(directory: string) {
  const file = (key: string) => join(directory, `${key}.json`);
  return {
    /** The cached answer for a key, or undefined when absent or unreadable (a broken file is a miss). */
    async get(key: string): Promise<CachedName | undefined> {
      try {
        const value = JSON.parse(await readFile(file(key), 'utf8')) as Partial<CachedName>;
        return typeof value.name === 'string' && value.name !== '' ? (value as CachedName) : undefined;
      } catch {
        return undefined;
      }
    },
    /** Stores an answer atomically. */
    async set(key: string, value: CachedName): Promise<void> {
      await mkdir(directory, { recursive: true });
      const temporary = `${file(key)}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`;
      await writeFile(temporary, `${JSON.stringify(value, null, 2)}\n`, 'utf8');
      await rename(temporary, file(key));
    },
  };
}
