import { appendFile, readFile, stat } from 'node:fs/promises';
import { posix } from 'node:path';
import { pullShards } from './pull-shards.js';
import { createReconnectingSsh } from './reconnecting-ssh.js';
import { remoteLayout } from './remote-layout.js';
import { readRunRecord, runRecordPaths, writeRunRecord, type RemoteRunRecord } from './run-record.js';
import { syncIndex } from './sync-index.js';

/** The remote side of a run as seen now. */
export interface RemoteRunState {
  state: 'running' | 'complete' | 'failed' | 'missing' | 'unreachable';
  exitCode?: number;
  /** Why the host could not be asked (state 'unreachable'). */
  reason?: string;
}

/** Options shared by the `remote status|sync` helpers. */
export interface RemoteRunAccess {
  runDirectory: string;
  sshKey: string;
  abortSignal?: AbortSignal;
  onProgress?: (done: number, total: number, message: string) => void;
}

/**
 * Looks at a run from its record: connects to the recorded endpoint (pinned host key), copies the
 * new part of pipeline.log and any new checkpoint shards, and, with `sync`, copies a finished
 * index into the run's output folder (sha256-checked). Never provisions or terminates anything.
 */
export async function refreshRemoteRun(options: RemoteRunAccess & { sync: boolean }): Promise<{ record: RemoteRunRecord; remote: RemoteRunState; synced: boolean }> {
  const record = await readRunRecord(options.runDirectory);
  const paths = runRecordPaths(options.runDirectory);
  if (record.endpoint === undefined) {
    const reason = record.step === 'done' ? 'the run is finished and its instance is gone' : 'no instance is recorded (it was terminated or never started)';
    return { record, remote: { state: 'unreachable', reason }, synced: false };
  }
  const privateKey = await readFile(options.sshKey);
  const ssh = createReconnectingSsh({ endpoint: record.endpoint, privateKey, hostKey: record.host_key, reconnectForMs: 15_000, abortSignal: options.abortSignal });
  try {
    const layout = remoteLayout(posix.dirname(posix.dirname(record.remote_dir)), record.run_id, 'unused');
    const remote = await ssh.retry(async (session): Promise<RemoteRunState> => {
      if ((await session.stat(layout.run)) === undefined) return { state: 'missing' };
      const offset = Math.max(0, ((await stat(paths.log).catch(() => undefined))?.size ?? 0) - (record.log_base ?? 0));
      if (((await session.stat(layout.log))?.size ?? 0) > offset) await appendFile(paths.log, await session.readFile(layout.log, { start: offset }));
      const added = await pullShards(session, layout, paths.shards, record.shards_pulled);
      record.shards_pulled.push(...added);
      if ((await session.stat(layout.complete)) !== undefined) return { state: 'complete', exitCode: 0 };
      if ((await session.stat(layout.failed)) !== undefined) return { state: 'failed', exitCode: Number.parseInt((await session.readFile(layout.failed)).toString().trim(), 10) || 1 };
      return { state: 'running' };
    }, 'checking the run').catch((error: Error): RemoteRunState => ({ state: 'unreachable', reason: error.message }));
    let synced = false;
    if (options.sync && remote.state === 'complete') {
      record.step = 'sync';
      await writeRunRecord(options.runDirectory, record);
      await syncIndex(ssh, layout.output, record.output, { onProgress: options.onProgress });
      record.step = 'done';
      synced = true;
    }
    await writeRunRecord(options.runDirectory, record);
    return { record, remote, synced };
  } finally {
    ssh.end();
  }
}
