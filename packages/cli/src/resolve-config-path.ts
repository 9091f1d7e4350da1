import { access, readdir } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** Folder of the presets shipped with the CLI package (packages/cli/configs, copied from the repository's configs/ at build). */
export const PRESETS_DIRECTORY = fileURLToPath(new URL('../configs', import.meta.url));

/**
 * Where a --config value points: the path itself when it exists, else a preset shipped with the CLI
 * of that name ("quick-test", "quick-test.json" or "configs/quick-test.json" all work from any folder).
 */
export async function resolveConfigPath(path: string): Promise<string> {
  if (await exists(path)) return path;
  const name = basename(path).endsWith('.json') ? basename(path) : `${basename(path)}.json`;
  const preset = join(PRESETS_DIRECTORY, name);
  return (await exists(preset)) ? preset : path;
}

/** Names of the presets shipped with the CLI, for error messages. */
export async function listPresets(): Promise<string[]> {
  try {
    return (await readdir(PRESETS_DIRECTORY)).filter((file) => file.endsWith('.json') && file !== 'schema.json').map((file) => file.slice(0, -5)).sort();
  } catch {
    return [];
  }
}

async function exists(path: string): Promise<boolean> {
  try {
    await access(path);
    return true;
  } catch {
    return false;
  }
}
