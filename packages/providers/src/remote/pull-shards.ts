import { mkdir, rename, rm, stat } from 'node:fs/promises';
import { join, posix } from 'node:path';
import { sha256File, writeFileAtomic, type EmbeddingProgress } from '@corpus-proximity/core/internal';
import type { RemoteLayout } from './remote-layout.js';
import { RemoteRunError } from './remote-run-error.js';
import type { SshSession } from './ssh-session.js';

/**
 * Pulls every checkpoint shard listed in the remote progress.json that is not here yet, each checked
 * against its sha256, and writes a local progress.json listing exactly the shards held locally (so a
 * new instance can resume from them). Returns the names newly pulled.
 */
export async function pullShards(session: SshSession, layout: RemoteLayout, localDirectory: string, pulled: readonly string[]): Promise<string[]> {
  const text = await session.readFile(layout.progress).catch(() => undefined);
  if (text === undefined) return [];
  let progress: EmbeddingProgress;
  try {
    progress = JSON.parse(text.toString('utf8')) as EmbeddingProgress;
  } catch {
    return []; // progress.json is replaced atomically; a torn read only happens on a broken host
  }
  if (progress.format !== 'corpus-proximity-embedding-progress' || !Array.isArray(progress.shards)) return [];
  const have = new Set(pulled);
  const added: string[] = [];
  const shardsDirectory = join(localDirectory, 'embeddings');
  await mkdir(shardsDirectory, { recursive: true });
  const held: EmbeddingProgress['shards'] = [];
  for (const shard of progress.shards) {
    if (!/^shard_\d{5,}\.npy$/.test(shard.file)) {
      throw new RemoteRunError('unsafe-path', `the remote progress.json lists a shard named ${JSON.stringify(shard.file)}; refusing to pull it`, { step: 'run' });
    }
    const local = join(shardsDirectory, shard.file);
    if (!have.has(shard.file)) {
      const partial = `${local}.partial`;
      try {
        await session.download(posix.join(layout.shards, shard.file), partial);
      } catch (error) {
        // The pipeline deletes its checkpoint once the index is written; a shard can vanish mid-pull.
        if ((await session.stat(posix.join(layout.shards, shard.file))) === undefined) break;
        throw error;
      }
      const checked = await sha256File(partial);
      if (checked.sha256 !== shard.sha256 || checked.bytes !== shard.bytes) {
        await rm(partial, { force: true });
        break; // pulled again on the next poll
      }
      await rename(partial, local);
      added.push(shard.file);
    } else if ((await stat(local).catch(() => undefined)) === undefined) break;
    held.push(shard);
  }
  if (added.length > 0) {
    const local: EmbeddingProgress = { ...progress, shards: held, rows_done: held.at(-1)?.end ?? 0 };
    await writeFileAtomic(join(localDirectory, 'progress.json'), `${JSON.stringify(local, null, 2)}\n`);
  }
  return added;
}
