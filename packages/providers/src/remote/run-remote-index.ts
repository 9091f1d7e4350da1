import { existsSync } from 'node:fs';
import { mkdir, readFile, stat, writeFile } from 'node:fs/promises';
import { join, posix, resolve } from 'node:path';
import { createHash } from 'node:crypto';
import type { ProgressListener } from '@corpus-proximity/core';
import type { GpuInstance, GpuProviderV1, GpuRequest } from '../gpu-provider-spec.js';
import { installTool, type InstallToolOptions, type ToolSource } from './install-tool.js';
import { findWorkspaceRoot, packWorkspace } from './pack-workspace.js';
import { createReconnectingSsh, type ReconnectingSsh } from './reconnecting-ssh.js';
import { environmentFile, pipelineScript, remoteLayout, tmuxSessionName, type RemoteLayout } from './remote-layout.js';
import { RemoteRunError } from './remote-run-error.js';
import { findUnfinishedRun, newRunId, readRunRecord, runRecordPaths, writeRunRecord, type RemoteRunRecord } from './run-record.js';
import { runStep } from './run-step.js';
import { shellQuote } from './shell-quote.js';
import { syncIndex } from './sync-index.js';
import { remotePathFor, uploadFiles, type RemoteUpload } from './upload-run-files.js';
import { watchPipeline } from './watch-pipeline.js';

/** The steps that have deadlines. */
export type RemoteStepName = 'provision' | 'ssh' | 'upload' | 'install' | 'run' | 'sync' | 'terminate';

/** Everything a remote index run needs. */
export interface RunRemoteIndexOptions {
  provider: GpuProviderV1;
  /** Local index folder the result is synced into (exactly what a local run writes). */
  output: string;
  /** Corpus files or folders (relative paths keep their spelling remotely, so the index records the same sources). */
  inputs?: ReadonlyArray<{ path: string; stage?: string }>;
  /** A --config file, uploaded and passed on. */
  configFile?: string;
  /** More local files the remote run reads (e.g. inputs named in the config file); relative paths only. */
  extraUploads?: readonly string[];
  /** Other `corpus-proximity index` flags, passed on as given (no paths). */
  indexArgs?: readonly string[];
  /** Private key file; `<key>.pub` is installed on instances this run provisions. */
  sshKey: string;
  /** An existing instance: provider name/id or user@host[:port] for the SSH provider. Never destroyed. */
  useExisting?: string;
  gpu?: Partial<Omit<GpuRequest, 'name' | 'tag' | 'sshPublicKey'>>;
  /** Leave a provisioned instance running after the run (for debugging). */
  keepRunning?: boolean;
  /** Where run records go; `remote_results` by default. */
  resultsDirectory?: string;
  /** Resume this run folder; by default the newest unfinished run into the same output is resumed. False: always start a new run. */
  resume?: string | false;
  /** Folder on the host holding tool installs and runs; `corpus-proximity` (under the login folder) by default. */
  remoteRoot?: string;
  /** Folder on the host for tool installs (shared by runs, so a repeat run skips the install); remoteRoot by default. */
  remoteToolRoot?: string;
  /** Environment for the remote pipeline (API keys…): sent in a 0600 file, never on a command line, never recorded. */
  environment?: Record<string, string>;
  /** The tool to install; by default this checkout's packages, packed. */
  tool?: ToolSource;
  install?: Omit<InstallToolOptions, 'abortSignal' | 'onProgress'>;
  deadlines?: Partial<Record<RemoteStepName, number>>;
  /** Marker and log polling interval (ms). */
  pollMs?: number;
  /** Tag carried by every instance this tool creates. */
  tag?: string;
  onProgress?: ProgressListener;
  /** Each line of the remote pipeline.log as it arrives. */
  onLog?: (line: string) => void;
  onWarning?: (message: string) => void;
  /** Every command line sent to the host (for audits and tests: none holds a secret). */
  onRemoteCommand?: (command: string) => void;
  abortSignal?: AbortSignal;
}

/** What a finished remote run leaves. */
export interface RunRemoteIndexResult {
  runDirectory: string;
  record: RemoteRunRecord;
  output: string;
  /** True when the tool install was skipped (same version already on the host). */
  installSkipped: boolean;
  timings_ms: Partial<Record<RemoteStepName, number>>;
}

/** The tag every instance created by corpus-proximity carries. */
export const REMOTE_TAG = 'corpus-proximity';

const DEFAULT_DEADLINES: Record<RemoteStepName, number> = {
  provision: 15 * 60_000,
  ssh: 10 * 60_000,
  upload: 60 * 60_000,
  install: 30 * 60_000,
  run: 72 * 3600_000,
  sync: 2 * 3600_000,
  terminate: 5 * 60_000,
};

/**
 * Runs `corpus-proximity index` on a GPU host: provision (or use an existing host) → wait for SSH →
 * upload corpus, config and this tool → install → run in tmux → stream the log and pull checkpoint
 * shards → sync the index into `output` (sha256-checked) → terminate in a finally unless keepRunning.
 * The record in remote_results/clustering_<timestamp>/ lets a later call (or `remote attach`) resume.
 */
export async function runRemoteIndex(options: RunRemoteIndexOptions): Promise<RunRemoteIndexResult> {
  const resultsDirectory = options.resultsDirectory ?? 'remote_results';
  const output = resolve(options.output);
  const deadlines = { ...DEFAULT_DEADLINES, ...options.deadlines };
  const collected = collectUploads(options);
  const resumeDirectory = options.resume === false ? undefined : (options.resume ?? (await findResumableRun(resultsDirectory, output, remoteIndexArgs(options, collected), options.onWarning)));
  const runDirectory = resumeDirectory ?? resolve(resultsDirectory, newRunId(new Date(), (id) => existsSync(join(resultsDirectory, id))));
  const paths = runRecordPaths(runDirectory);
  const tool = options.tool ?? (await defaultTool(options.onProgress));
  const toolKey = createHash('sha256').update(`${tool.key}\n${(options.install?.extraPackages ?? []).join('\n')}`).digest('hex').slice(0, 16);
  const record: RemoteRunRecord = resumeDirectory
    ? await readRunRecord(resumeDirectory)
    : {
        format: 'corpus-proximity-remote-run',
        version: 1,
        run_id: runDirectory.split(/[\\/]/).at(-1)!,
        step: 'provision',
        created_at: new Date().toISOString(),
        updated_at: '',
        output,
        uploads: collected,
        index_args: remoteIndexArgs(options, collected),
        provider: options.provider.providerId,
        remote_dir: posix.join(options.remoteRoot ?? 'corpus-proximity', 'runs', runDirectory.split(/[\\/]/).at(-1)!),
        remote_tool_root: options.remoteToolRoot,
        shards_pulled: [],
        keep_running: options.keepRunning ?? false,
        attempts: 0,
      };
  // A resumed run re-sends what it recorded (`remote attach` gives no inputs).
  const uploads = record.uploads ?? collected;
  if (resumeDirectory) options.onWarning?.(`resuming the unfinished remote run ${runDirectory} (step ${record.step})`);
  record.keep_running = options.keepRunning ?? record.keep_running;
  const layout = remoteLayout(posix.dirname(posix.dirname(record.remote_dir)), record.run_id, toolKey, options.remoteToolRoot ?? record.remote_tool_root);
  await mkdir(paths.shards, { recursive: true });
  await writeRunRecord(runDirectory, record);
  const save = () => writeRunRecord(runDirectory, record);
  const step = <T>(name: RemoteStepName, work: (signal: AbortSignal) => Promise<T>, late?: (value: T) => Promise<void>) => {
    if (name !== 'terminate') record.step = name;
    const started = performance.now();
    return save()
      .then(() => runStep(name, { timeoutMs: deadlines[name], abortSignal: options.abortSignal, onProgress: options.onProgress, late }, work))
      .finally(() => (timings[name] = Math.round(performance.now() - started)));
  };
  const timings: Partial<Record<RemoteStepName, number>> = {};
  const privateKey = await readFile(options.sshKey).catch((cause: NodeJS.ErrnoException) => {
    throw new RemoteRunError('ssh-unreachable', `--ssh-key ${options.sshKey}: ${cause.code === 'ENOENT' ? 'no such file' : cause.message}; give the private key whose .pub is authorized on the host`);
  });

  let instance: GpuInstance | undefined;
  let ssh: ReconnectingSsh | undefined;
  let installSkipped = false;
  let succeeded = false;
  try {
    instance = await step(
      'provision',
      (signal) => acquireInstance(options, record, signal, paths.log),
      async (late) => {
        if (late.createdByTool) await options.provider.terminate(late);
      },
    );
    record.instance = { providerId: instance.providerId, id: instance.id, name: instance.name, createdByTool: instance.createdByTool };
    await save();

    const endpoint = await step('ssh', async (signal) => {
      const found = await options.provider.waitReady(instance!, { timeoutMs: deadlines.ssh, abortSignal: signal, onProgress: options.onProgress });
      ssh = createReconnectingSsh({
        endpoint: found,
        privateKey,
        hostKey: record.host_key,
        reconnectForMs: deadlines.ssh,
        abortSignal: options.abortSignal,
        onRetry: options.onWarning,
        onCommand: options.onRemoteCommand,
        onHostKey: async (fingerprint) => {
          record.host_key = fingerprint;
          await writeFile(paths.hostKey, `${found.host}:${found.port} ${fingerprint}\n`);
        },
      });
      await ssh.session();
      return found;
    });
    record.endpoint = endpoint;
    await save();
    const connection = ssh!;

    const state = await connection.retry((session) => remoteState(session, layout), 'checking the remote run');
    const tmux = tmuxSessionName(record.run_id);
    if (state !== 'complete' && state !== 'running') {
      await step('upload', async () => {
        const session = await connection.session();
        await session.mkdir(layout.work);
        await uploadFiles(session, layout.work, uploads, (file) => options.onProgress?.({ stage: 'upload', done: 0, message: file }));
        if (record.shards_pulled.length > 0) {
          // A new instance (or a restarted pipeline) resumes from the shards already pulled.
          await uploadFiles(session, posix.join(layout.output, '.work'), [
            { local: join(paths.shards, 'progress.json'), remote: 'progress.json' },
            ...record.shards_pulled.map((file) => ({ local: join(paths.shards, 'embeddings', file), remote: `embeddings/${file}` })),
          ]);
        }
        await session.writeFile(layout.environment, environmentFile(options.environment ?? {}), { mode: 0o600 });
        await session.writeFile(layout.script, pipelineScript(layout, record.index_args), { mode: 0o700 });
      });
      installSkipped = (
        await step('install', async (signal) =>
          installTool(await connection.session(), layout, tool, {
            ...options.install,
            abortSignal: signal,
            onProgress: (message) => options.onProgress?.({ stage: 'install', done: 0, message }),
          }),
        )
      ).skipped;
    }
    const outcome = await step('run', async (signal) => {
      if (state !== 'complete' && state !== 'running') {
        const session = await connection.session();
        const started = await session.exec(
          `if command -v tmux >/dev/null; then tmux new-session -d -s ${shellQuote(tmux)} sh ${shellQuote(layout.script)}; else nohup sh ${shellQuote(layout.script)} >/dev/null 2>&1 & fi`,
        );
        if (started.code !== 0) throw new RemoteRunError('remote-command-failed', `could not start the pipeline in tmux: ${started.stderr.trim()}`, { step: 'run' });
      }
      return watchPipeline(connection, layout, {
        localLog: paths.log,
        localLogBase: record.log_base ?? 0,
        localShards: paths.shards,
        pulled: record.shards_pulled,
        onShards: async (added) => {
          await save();
          options.onProgress?.({ stage: 'run', done: record.shards_pulled.length, message: `pulled checkpoint ${added.join(', ')}` });
        },
        onLogLine: options.onLog,
        tmuxSession: tmux,
        pollMs: options.pollMs,
        deadlineAt: Date.now() + deadlines.run,
        abortSignal: signal,
      });
    });
    if (outcome.exitCode !== 0) {
      record.step = 'failed';
      record.exit_code = outcome.exitCode;
      const tail = (await readFile(paths.log, 'utf8').catch(() => '')).split('\n').slice(-30).join('\n');
      throw new RemoteRunError('pipeline-failed', `the remote pipeline failed with exit code ${outcome.exitCode}; the last lines of ${paths.log}:\n${tail}`, {
        step: 'run',
        exitCode: outcome.exitCode,
      });
    }
    await step('sync', () =>
      syncIndex(connection, layout.output, output, { onProgress: (done, total, message) => options.onProgress?.({ stage: 'sync', done, total, message }) }),
    );
    record.step = 'done';
    record.exit_code = 0;
    delete record.error;
    if (!record.keep_running) {
      await connection.retry((session) => session.exec(`rm -rf ${shellQuote(layout.run)}`), 'removing the remote run folder').catch(() => undefined);
    }
    await save();
    succeeded = true;
    return { runDirectory, record, output, installSkipped, timings_ms: timings };
  } catch (error) {
    record.error = (error as Error).message;
    await save().catch(() => undefined);
    throw error;
  } finally {
    // run.sh deletes the key file when it starts; if it never did, do not leave it on a host that stays.
    if (ssh !== undefined && (record.keep_running || !instance?.createdByTool) && record.step !== 'run' && record.step !== 'done') {
      const connection: ReconnectingSsh = ssh;
      await Promise.race([connection.session().then((session) => session.unlink(layout.environment)), new Promise((resolve) => setTimeout(resolve, 5_000).unref())]).catch(() => undefined);
    }
    ssh?.end();
    if (instance?.createdByTool && !record.keep_running) {
      const rented = instance;
      try {
        await runStep('terminate', { timeoutMs: deadlines.terminate, onProgress: options.onProgress }, (signal) => options.provider.terminate(rented, { abortSignal: signal }));
        record.instance = undefined;
        record.endpoint = undefined;
        await save().catch(() => undefined);
      } catch (cause) {
        // Never silent: an instance left running bills. A failure of the run itself stays the error thrown.
        const message = `could not terminate ${rented.providerId} instance ${rented.id} (${(cause as Error).message}); terminate it with \`corpus-proximity remote cleanup --provider ${rented.providerId}\``;
        options.onWarning?.(message);
        record.error = record.error ? `${record.error}\n${message}` : message;
        await save().catch(() => undefined);
        // Only when the run itself succeeded (nothing else is being thrown), so no error is swallowed.
        // oxlint-disable-next-line no-unsafe-finally
        if (succeeded) throw new RemoteRunError('remote-command-failed', message, { step: 'terminate', cause });
      }
    }
  }
}

/** The newest unfinished run into `output` made by the same command (other arguments: a new run). */
async function findResumableRun(resultsDirectory: string, output: string, indexArgs: string[], onWarning?: (message: string) => void): Promise<string | undefined> {
  const directory = await findUnfinishedRun(resultsDirectory, output);
  if (directory === undefined) return undefined;
  const record = await readRunRecord(directory);
  if (JSON.stringify(record.index_args) === JSON.stringify(indexArgs)) return directory;
  onWarning?.(`${directory} is an unfinished run into the same output with other arguments; starting a new run (attach the old one with \`corpus-proximity remote attach\`)`);
  return undefined;
}

async function acquireInstance(options: RunRemoteIndexOptions, record: RemoteRunRecord, signal: AbortSignal, logPath: string): Promise<GpuInstance> {
  if (record.instance) {
    const found = await options.provider.find(record.instance.id, { abortSignal: signal });
    if (found) return { ...found, createdByTool: record.instance.createdByTool };
    options.onWarning?.(`instance ${record.instance.id} of this run is gone: starting on a new instance from the ${record.shards_pulled.length} pulled checkpoint shard(s)`);
    record.instance = undefined;
    record.host_key = undefined;
  }
  record.attempts++;
  // A new host has a new, empty pipeline.log: it continues the local copy after what is there.
  record.log_base = (await stat(logPath).catch(() => undefined))?.size ?? 0;
  if (options.useExisting !== undefined) {
    const found = await options.provider.find(options.useExisting, { abortSignal: signal }).catch((cause: Error) => {
      throw new RemoteRunError('ssh-unreachable', `--use-existing ${options.useExisting}: ${cause.message}`, { step: 'provision', cause });
    });
    if (!found) throw new RemoteRunError('ssh-unreachable', `--use-existing ${options.useExisting}: ${options.provider.providerId} has no such instance; \`corpus-proximity remote list\` shows them`, { step: 'provision' });
    return { ...found, createdByTool: false };
  }
  const sshPublicKey = (await readFile(`${options.sshKey}.pub`, 'utf8').catch(() => {
    throw new RemoteRunError('ssh-unreachable', `${options.sshKey}.pub: no public key next to --ssh-key; create one with ssh-keygen -y -f ${options.sshKey} > ${options.sshKey}.pub`);
  })).trim();
  return options.provider.provision(
    {
      gpuCount: 1,
      image: 'runpod/pytorch:2.4.0-py3.11-cuda12.4.1-devel-ubuntu22.04',
      diskGb: 50,
      ...options.gpu,
      name: `corpus-proximity-${record.run_id}`.replace(/_/g, '-').toLowerCase(),
      tag: options.tag ?? REMOTE_TAG,
      sshPublicKey,
    },
    { abortSignal: signal, onProgress: options.onProgress },
  );
}

type RemoteState = 'new' | 'running' | 'complete' | 'failed';

async function remoteState(session: Awaited<ReturnType<ReconnectingSsh['session']>>, layout: RemoteLayout): Promise<RemoteState> {
  if ((await session.stat(layout.run)) === undefined) return 'new';
  if ((await session.stat(layout.complete)) !== undefined) return 'complete';
  if ((await session.stat(layout.failed)) !== undefined) return 'failed';
  const alive = await session.exec(`tmux has-session -t ${shellQuote(tmuxSessionName(layout.run.split('/').at(-1)!))} 2>/dev/null`);
  if (alive.code === 0) return 'running';
  // The pipeline may have ended between the marker checks and tmux's answer.
  if ((await session.stat(layout.complete)) !== undefined) return 'complete';
  return 'failed';
}

function collectUploads(options: RunRemoteIndexOptions): RemoteUpload[] {
  const uploads: RemoteUpload[] = [];
  const add = (local: string) => {
    const remote = remotePathFor(local, uploads.length);
    if (!uploads.some((upload) => upload.remote === remote)) uploads.push({ local: resolve(local), remote });
    return remote;
  };
  for (const input of options.inputs ?? []) add(input.path);
  if (options.configFile) add(options.configFile);
  for (const extra of options.extraUploads ?? []) add(extra);
  return uploads;
}

function remoteIndexArgs(options: RunRemoteIndexOptions, uploads: RemoteUpload[]): string[] {
  const remoteOf = (local: string) => uploads.find((upload) => upload.local === resolve(local))!.remote;
  const args = (options.inputs ?? []).map((input) => (input.stage ? `${input.stage}=${remoteOf(input.path)}` : remoteOf(input.path)));
  if (options.configFile) args.push('--config', remoteOf(options.configFile));
  return [...args, ...(options.indexArgs ?? [])];
}

async function defaultTool(onProgress?: ProgressListener): Promise<ToolSource> {
  const workspaceRoot = findWorkspaceRoot();
  if (workspaceRoot === undefined) {
    const version = JSON.parse(await readFile(new URL('../package.json', import.meta.url), 'utf8').catch(() => '{"version":"latest"}')) as { version: string };
    return { key: `registry-${version.version}`, registryVersion: version.version };
  }
  return packWorkspace({ workspaceRoot, onProgress: (message) => onProgress?.({ stage: 'upload', done: 0, message }) });
}
