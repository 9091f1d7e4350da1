import { createHash, randomBytes } from 'node:crypto';
import { mkdir, open, rename, rm, type FileHandle } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';

/** What was written: the final file's sha256 (hex) and size in bytes. */
export interface WrittenFile {
  path: string;
  sha256: string;
  bytes: number;
}

/** A file being written under a temporary name; `commit` renames it into place, `abort` removes it. */
export interface AtomicFileWriter {
  /** Appends bytes or a UTF-8 string; small writes are buffered. */
  write(data: Uint8Array | string): Promise<void>;
  /** Flushes, syncs and renames the file into place. */
  commit(): Promise<WrittenFile>;
  /** Removes the temporary file; safe to call after a failed write. */
  abort(): Promise<void>;
}

const FLUSH_BYTES = 1 << 20;

/** Opens a temporary file next to `path` for streaming writes that appear at `path` only when committed. */
export async function createAtomicFileWriter(path: string): Promise<AtomicFileWriter> {
  await mkdir(dirname(path), { recursive: true });
  const temporary = join(dirname(path), `.${basename(path)}.tmp-${process.pid}-${randomBytes(4).toString('hex')}`);
  const handle: FileHandle = await open(temporary, 'w');
  const hash = createHash('sha256');
  let bytes = 0;
  let pending: Buffer[] = [];
  let pendingBytes = 0;
  let closed = false;

  const flush = async (): Promise<void> => {
    if (pendingBytes === 0) return;
    const buffer = pending.length === 1 ? pending[0]! : Buffer.concat(pending, pendingBytes);
    pending = [];
    pendingBytes = 0;
    await writeAll(handle, buffer);
  };

  return {
    async write(data) {
      const buffer = typeof data === 'string' ? Buffer.from(data, 'utf8') : Buffer.from(data.buffer, data.byteOffset, data.byteLength);
      hash.update(buffer);
      bytes += buffer.length;
      if (buffer.length >= FLUSH_BYTES) {
        await flush();
        await writeAll(handle, buffer);
        return;
      }
      // Small pieces are copied, since callers may reuse their buffers after write returns.
      pending.push(typeof data === 'string' ? buffer : Buffer.from(buffer));
      pendingBytes += buffer.length;
      if (pendingBytes >= FLUSH_BYTES) await flush();
    },
    async commit() {
      await flush();
      await handle.sync();
      await handle.close();
      closed = true;
      await rename(temporary, path);
      return { path, sha256: hash.digest('hex'), bytes };
    },
    async abort() {
      if (!closed) {
        closed = true;
        await handle.close().catch(() => undefined);
      }
      await rm(temporary, { force: true });
    },
  };
}

/** Writes a whole file atomically: to a temporary name in the same folder, then renamed over `path`. */
export async function writeFileAtomic(path: string, data: Uint8Array | string): Promise<WrittenFile> {
  const writer = await createAtomicFileWriter(path);
  try {
    await writer.write(data);
    return await writer.commit();
  } catch (error) {
    await writer.abort();
    throw error;
  }
}

// FileHandle.write may write fewer bytes than asked; loop until all are out.
async function writeAll(handle: FileHandle, buffer: Buffer): Promise<void> {
  let offset = 0;
  while (offset < buffer.length) {
    const { bytesWritten } = await handle.write(buffer, offset, buffer.length - offset);
    offset += bytesWritten;
  }
}
