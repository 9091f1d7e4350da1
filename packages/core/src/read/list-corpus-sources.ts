import { readdir, stat } from 'node:fs/promises';
import { extname, join } from 'node:path';
import { InvalidInputError } from '../errors.js';
import type { CorpusStage } from '../types.js';

/** One corpus input as the user gave it: a folder, a text file or a JSONL file, tagged with a training stage. */
export interface CorpusInput {
  path: string;
  /** Training stage of everything under this path; 'pretrain' by default. */
  stage?: CorpusStage;
}

/** One file to read: whole-file text (.txt/.md) or one document per line (.jsonl/.ndjson, optionally .gz). */
export interface CorpusSource {
  path: string;
  stage: CorpusStage;
  format: 'text' | 'jsonl';
  gzip: boolean;
}

const TEXT_EXTENSIONS = new Set(['.txt', '.md']);
const JSONL_EXTENSIONS = new Set(['.jsonl', '.ndjson']);

/**
 * Resolves inputs to the files to read, in a deterministic order: inputs in the order given,
 * folders expanded recursively to their .txt/.md files sorted by path (hidden entries skipped).
 * A path that does not exist or has an unsupported extension throws an InvalidInputError.
 */
export async function listCorpusSources(inputs: readonly CorpusInput[]): Promise<CorpusSource[]> {
  const sources: CorpusSource[] = [];
  for (const input of inputs) {
    const stage = input.stage ?? 'pretrain';
    const info = await stat(input.path).catch(() => undefined);
    if (info === undefined) {
      throw new InvalidInputError(`${input.path}: no such file or folder; check the corpus path`, { file: input.path });
    }
    if (info.isDirectory()) {
      for (const file of await listTextFiles(input.path)) sources.push({ path: file, stage, format: 'text', gzip: false });
      continue;
    }
    const source = classify(input.path, stage);
    if (source === undefined) {
      throw new InvalidInputError(
        `${input.path}: unsupported file type "${extname(input.path) || '(none)'}"; corpus inputs are folders, .txt/.md files (one document each) or .jsonl/.ndjson files (one JSON object per line, optionally .gz)`,
        { file: input.path },
      );
    }
    sources.push(source);
  }
  return sources;
}

function classify(path: string, stage: CorpusStage): CorpusSource | undefined {
  const lower = path.toLowerCase();
  const gzip = lower.endsWith('.gz');
  const extension = extname(gzip ? lower.slice(0, -3) : lower);
  if (!gzip && TEXT_EXTENSIONS.has(extension)) return { path, stage, format: 'text', gzip };
  if (JSONL_EXTENSIONS.has(extension)) return { path, stage, format: 'jsonl', gzip };
  return undefined;
}

// Recursive, sorted by code unit (not locale) so every machine reads the same order.
async function listTextFiles(folder: string): Promise<string[]> {
  const files: string[] = [];
  const entries = await readdir(folder, { withFileTypes: true });
  const names = entries.filter((entry) => !entry.name.startsWith('.')).sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  for (const entry of names) {
    const path = join(folder, entry.name);
    // Symlinked folders are not followed (no cycles); symlinked files are.
    const isFile = entry.isFile() || (entry.isSymbolicLink() && (await stat(path).catch(() => undefined))?.isFile() === true);
    if (entry.isDirectory()) files.push(...(await listTextFiles(path)));
    else if (isFile && TEXT_EXTENSIONS.has(extname(entry.name).toLowerCase())) files.push(path);
  }
  return files;
}
