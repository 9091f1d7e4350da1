import { InvalidInputError, type CorpusInput } from '@corpus-proximity/core';
import { constants } from 'node:fs';
import { mkdir, open, stat } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';

/**
 * Copies inputs that are named pipes (a FIFO, or `<(zcat …)`) into `folder`, so they can be read
 * more than once and resumed, and returns the inputs with those paths replaced. Opening a pipe waits
 * for a writer; with none within `timeoutMs` it throws an InvalidInputError naming the pipe.
 */
export async function copyNamedPipes(inputs: CorpusInput[], folder: string, options: { timeoutMs: number; onNote?: (message: string) => void }): Promise<CorpusInput[]> {
  if (!(await Promise.all(inputs.map((input) => stat(input.path).then((info) => info.isFIFO(), () => false)))).some(Boolean)) return inputs;
  const result: CorpusInput[] = [];
  for (const [position, input] of inputs.entries()) {
    const info = await stat(input.path).catch(() => undefined);
    if (!info?.isFIFO()) {
      result.push(input);
      continue;
    }
    await mkdir(folder, { recursive: true });
    const copy = join(folder, `${position}-${basename(input.path)}`);
    await copyPipe(input.path, copy, options.timeoutMs);
    options.onNote?.(`read the named pipe ${input.path} into ${copy} (chunks name that copy as their source)`);
    result.push({ ...input, path: copy });
  }
  return result;
}

// Non-blocking reads, so waiting for a writer has a deadline (a blocking open could never be cancelled):
// EAGAIN means a writer is there with nothing written yet, 0 bytes before any data means no writer yet.
async function copyPipe(path: string, copy: string, timeoutMs: number): Promise<void> {
  const pipe = await open(path, constants.O_RDONLY | constants.O_NONBLOCK);
  const target = await open(copy, 'w');
  const buffer = Buffer.allocUnsafe(1 << 16);
  const deadline = Date.now() + timeoutMs;
  let writerSeen = false;
  try {
    for (;;) {
      let bytesRead: number;
      try {
        ({ bytesRead } = await pipe.read(buffer, 0, buffer.length, null));
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== 'EAGAIN') throw error;
        writerSeen = true;
        await sleep(5);
        continue;
      }
      if (bytesRead > 0) {
        writerSeen = true;
        await target.write(buffer.subarray(0, bytesRead));
        continue;
      }
      if (writerSeen) return;
      if (Date.now() > deadline) {
        throw new InvalidInputError(`${path} is a named pipe and nothing opened it for writing within ${timeoutMs / 1000} s; start the program that writes to it first, or give a regular file (--request-timeout sets the wait)`, { file: path });
      }
      await sleep(20);
    }
  } finally {
    await pipe.close();
    await target.close();
  }
}
