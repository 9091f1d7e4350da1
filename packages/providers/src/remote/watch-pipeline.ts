import { appendFile, stat } from 'node:fs/promises';
import type { ReconnectingSsh } from './reconnecting-ssh.js';
import { sleep } from './reconnecting-ssh.js';
import { pullShards } from './pull-shards.js';
import type { RemoteLayout } from './remote-layout.js';
import { RemoteRunError } from './remote-run-error.js';
import { shellQuote } from './shell-quote.js';

/** How the pipeline ended: exit code 0 (.pipeline_complete) or the code in .pipeline_failed. */
export interface PipelineOutcome {
  exitCode: number;
}

/** What watchPipeline needs. */
export interface WatchPipelineOptions {
  /** Local copy of the remote pipeline.log (appended to). */
  localLog: string;
  /** Bytes at the start of localLog that came from earlier hosts. */
  localLogBase?: number;
  /** Local folder for pulled shards (holds embeddings/ and progress.json). */
  localShards: string;
  /** Shards already here; newly pulled names are pushed. */
  pulled: string[];
  onShards?: (added: string[]) => void | Promise<void>;
  onLogLine?: (line: string) => void;
  /** tmux session to check when no marker appears (a pipeline that vanished without one). */
  tmuxSession?: string;
  pollMs?: number;
  deadlineAt: number;
  abortSignal?: AbortSignal;
}

/**
 * Until a marker appears: streams the remote pipeline.log (read from the local copy's size over
 * SFTP), pulls finished checkpoint shards, and stats the markers (SFTP stat, not exec). A dropped
 * connection is reopened and watching resumes where it was.
 */
export async function watchPipeline(ssh: ReconnectingSsh, layout: RemoteLayout, options: WatchPipelineOptions): Promise<PipelineOutcome> {
  let partialLine = '';
  let lastLivenessCheck = Date.now();
  const pollMs = options.pollMs ?? 1000;
  for (;;) {
    const outcome = await ssh.retry(async (session) => {
      // Markers first: the log read after them then holds every line the pipeline wrote.
      let ended: PipelineOutcome | undefined;
      if ((await session.stat(layout.complete)) !== undefined) ended = { exitCode: 0 };
      else if ((await session.stat(layout.failed)) !== undefined) {
        const code = Number.parseInt((await session.readFile(layout.failed)).toString('utf8').trim(), 10);
        ended = { exitCode: Number.isInteger(code) && code !== 0 ? code : 1 };
      }
      const offset = Math.max(0, ((await stat(options.localLog).catch(() => undefined))?.size ?? 0) - (options.localLogBase ?? 0));
      const remoteLog = await session.stat(layout.log);
      if (remoteLog !== undefined && remoteLog.size > offset) {
        const data = await session.readFile(layout.log, { start: offset });
        await appendFile(options.localLog, data);
        const lines = (partialLine + data.toString('utf8')).split('\n');
        partialLine = lines.pop() ?? '';
        for (const line of lines) options.onLogLine?.(line);
      }
      if (ended !== undefined) return ended;
      const added = await pullShards(session, layout, options.localShards, options.pulled);
      if (added.length > 0) {
        options.pulled.push(...added);
        await options.onShards?.(added);
      }
      if (options.tmuxSession !== undefined && Date.now() - lastLivenessCheck > 15_000) {
        lastLivenessCheck = Date.now();
        const alive = await session.exec(`tmux has-session -t ${shellQuote(options.tmuxSession)} 2>/dev/null || pgrep -f ${shellQuote(layout.script)} >/dev/null`);
        if (alive.code !== 0 && (await session.stat(layout.complete)) === undefined && (await session.stat(layout.failed)) === undefined) {
          throw new RemoteRunError('remote-command-failed', 'the remote pipeline stopped without writing a completion marker (was the host restarted?); run the same command again to resume from the pulled checkpoints', {
            step: 'run',
          });
        }
      }
      return undefined;
    }, 'watching the pipeline');
    if (outcome !== undefined) {
      if (partialLine) options.onLogLine?.(partialLine);
      return outcome;
    }
    if (Date.now() > options.deadlineAt) throw new RemoteRunError('deadline', 'the remote pipeline ran past its deadline; it is still running: `corpus-proximity remote attach <run>` follows it', { step: 'run' });
    await sleep(pollMs, options.abortSignal);
  }
}
