import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';

/** A file's sha256 (lowercase hex) and size, read as a stream so large files never sit in memory. */
export async function sha256File(path: string): Promise<{ sha256: string; bytes: number }> {
  const hash = createHash('sha256');
  let bytes = 0;
  for await (const piece of createReadStream(path, { highWaterMark: 1 << 20 })) {
    const buffer = piece as Buffer;
    hash.update(buffer);
    bytes += buffer.length;
  }
  return { sha256: hash.digest('hex'), bytes };
}

/** The sha256 (lowercase hex) of bytes or a string (UTF-8) already in memory. */
export function sha256Bytes(data: Uint8Array | string): string {
  return createHash('sha256').update(data).digest('hex');
}
