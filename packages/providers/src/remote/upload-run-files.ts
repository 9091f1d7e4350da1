import { readdir, stat } from 'node:fs/promises';
import { isAbsolute, join, normalize, posix, sep } from 'node:path';
import type { SshSession } from './ssh-session.js';

/** A local file or folder and where it goes under the remote work folder. */
export interface RemoteUpload {
  local: string;
  /** Path relative to the remote work folder (posix). */
  remote: string;
}

/**
 * Where a local input lives remotely: a relative path inside the current folder keeps its exact
 * spelling (so the index records the same source paths as a local run); anything else goes to
 * `inputs/<n>/<name>`.
 */
export function remotePathFor(local: string, index: number): string {
  const normalized = normalize(local);
  if (!isAbsolute(local) && !normalized.split(sep).includes('..') && normalized !== '.') return local.split(sep).join('/');
  const name = normalized.split(sep).filter(Boolean).at(-1) ?? `input-${index}`;
  return posix.join('inputs', String(index), name);
}

/** Uploads files and folders (recursively, hidden entries included) under remoteBase; returns bytes sent. */
export async function uploadFiles(session: SshSession, remoteBase: string, uploads: readonly RemoteUpload[], onFile?: (path: string) => void): Promise<number> {
  let bytes = 0;
  const send = async (local: string, remote: string): Promise<void> => {
    const info = await stat(local);
    if (info.isDirectory()) {
      await session.mkdir(remote);
      for (const name of (await readdir(local)).sort()) await send(join(local, name), posix.join(remote, name));
      return;
    }
    if (!info.isFile()) return;
    await session.mkdir(posix.dirname(remote));
    onFile?.(local);
    await session.upload(local, remote);
    bytes += info.size;
  };
  for (const upload of uploads) await send(upload.local, posix.join(remoteBase, upload.remote));
  return bytes;
}
