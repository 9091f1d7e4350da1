import { createHash } from 'node:crypto';
import { createReadStream, existsSync } from 'node:fs';
import { mkdir, rename, rm, stat } from 'node:fs/promises';
import { dirname, posix } from 'node:path';
import { type IndexManifest } from '@corpus-proximity/core';
import { sha256File, writeFileAtomic } from '@corpus-proximity/core/internal';
import type { ReconnectingSsh } from './reconnecting-ssh.js';
import { RemoteRunError } from './remote-run-error.js';
import { safeSyncPath } from './safe-sync-path.js';

/** Files written next to the index that the manifest does not list (a local run writes them too). */
const UNLISTED_FILES = ['build-log.json'];

/**
 * Copies the remote index folder into `target`: every file of the remote manifest.json, each
 * checked against its sha256 and size, downloaded to `<name>.partial` (resumed after a dropped
 * connection) and renamed into place; manifest.json last, so a half-synced folder never loads.
 */
export async function syncIndex(
  ssh: ReconnectingSsh,
  remoteOutput: string,
  target: string,
  options: { onProgress?: (done: number, total: number, message: string) => void } = {},
): Promise<{ files: number; bytes: number }> {
  const manifestText = await ssh.retry((session) => session.readFile(posix.join(remoteOutput, 'manifest.json')), 'reading the remote manifest');
  let manifest: IndexManifest;
  try {
    manifest = JSON.parse(manifestText.toString('utf8')) as IndexManifest;
  } catch (cause) {
    throw new RemoteRunError('checksum-mismatch', `the remote ${remoteOutput}/manifest.json is not valid JSON; run \`corpus-proximity remote sync\` again, or rerun the index`, { step: 'sync', cause });
  }
  await mkdir(target, { recursive: true });
  // As a local run does: no manifest until everything else is in place.
  await rm(posix.join(target, 'manifest.json'), { force: true });
  const entries = Object.entries(manifest.files ?? {});
  const total = entries.reduce((sum, [, entry]) => sum + entry.bytes, 0) + manifestText.length;
  let done = 0;
  for (const [name, entry] of entries) {
    const local = await safeSyncPath(target, name);
    const existing = await stat(local).catch(() => undefined);
    if (existing?.size === entry.bytes && (await sha256File(local)).sha256 === entry.sha256) {
      done += entry.bytes;
      continue;
    }
    await mkdir(dirname(local), { recursive: true });
    const partial = `${local}.partial`;
    if (((await stat(partial).catch(() => undefined))?.size ?? 0) > entry.bytes) await rm(partial);
    options.onProgress?.(done, total, name);
    // The checksum is taken while downloading (each attempt re-reads only the prefix a dropped connection left).
    const checked = await ssh.retry(async (session) => {
      const hash = createHash('sha256');
      let bytes = 0;
      if (existsSync(partial)) {
        for await (const piece of createReadStream(partial, { highWaterMark: 1 << 20 })) {
          hash.update(piece as Buffer);
          bytes += (piece as Buffer).length;
        }
      }
      await session.download(posix.join(remoteOutput, name), partial, {
        onData: (chunk) => {
          hash.update(chunk);
          bytes += chunk.length;
        },
        onBytes: (count) => options.onProgress?.((done += count), total, name),
      });
      return { sha256: hash.digest('hex'), bytes };
    }, `syncing ${name}`);
    if (checked.sha256 !== entry.sha256 || checked.bytes !== entry.bytes) {
      await rm(partial, { force: true });
      throw new RemoteRunError('checksum-mismatch', `${name}: the synced copy's sha256 ${checked.sha256} does not match the remote manifest's ${entry.sha256}; run \`corpus-proximity remote sync\` again`, {
        step: 'sync',
      });
    }
    await rename(partial, local);
  }
  for (const name of UNLISTED_FILES) {
    const local = await safeSyncPath(target, name);
    const data = await ssh.retry((session) => session.readFile(posix.join(remoteOutput, name)), `syncing ${name}`).catch(() => undefined);
    if (data !== undefined) await writeFileAtomic(local, data);
  }
  await writeFileAtomic(await safeSyncPath(target, 'manifest.json'), manifestText);
  options.onProgress?.(total, total, 'manifest.json');
  return { files: entries.length + 1, bytes: total };
}
