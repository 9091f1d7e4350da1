import { stat } from 'node:fs/promises';
import { InvalidInputError } from '@corpus-proximity/core';

/** Checks that `path` is a readable file (not missing, not a folder) before a command reads it; `what` names it in the message. */
export async function checkInputFile(path: string, what: string): Promise<void> {
  const info = await stat(path).catch((error: NodeJS.ErrnoException) => error);
  if (info instanceof Error) {
    if (info.code === 'ENOENT') throw new InvalidInputError(`${what} ${path} does not exist; check the path`, { file: path });
    if (info.code === 'ENOTDIR') throw new InvalidInputError(`${what} ${path}: a part of this path is a file, not a folder; check the path`, { file: path });
    throw new InvalidInputError(`${what} ${path} cannot be read (${info.code ?? info.message}); check the path and its permissions`, { file: path });
  }
  if (info.isDirectory()) throw new InvalidInputError(`${what} ${path} is a folder; give a JSONL file (one JSON object per line), or - to read stdin`, { file: path });
}
