import { readdir, rm } from 'node:fs/promises';
import { join } from 'node:path';

// writeFileAtomic's temporary names: .<name>.tmp-<pid>-<8 hex digits>
const TEMPORARY = /^\..+\.tmp-\d+-[0-9a-f]{8}$/;

/**
 * Removes temporary files that a killed run's atomic writes left in `directory` and the given
 * subfolders (never recursing further). Only for folders that a single build owns.
 */
export async function removeStaleTemporaryFiles(directory: string, subfolders: readonly string[] = []): Promise<number> {
  let removed = 0;
  for (const folder of [directory, ...subfolders.map((name) => join(directory, name))]) {
    const names = await readdir(folder).catch(() => [] as string[]);
    for (const name of names) {
      if (!TEMPORARY.test(name)) continue;
      await rm(join(folder, name), { force: true });
      removed++;
    }
  }
  return removed;
}
