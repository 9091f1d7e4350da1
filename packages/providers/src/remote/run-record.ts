import { mkdir, readdir, readFile, stat } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { writeFileAtomic } from '@corpus-proximity/core/internal';
import type { GpuInstance, SshEndpoint } from '../gpu-provider-spec.js';
import { RemoteRunError } from './remote-run-error.js';

/** Where a remote run is: the steps in order, then done or failed. */
export type RemoteRunStep = 'provision' | 'ssh' | 'upload' | 'install' | 'run' | 'sync' | 'done' | 'failed';

/** run.json of `remote_results/clustering_<timestamp>/`: enough to pick the run up again. */
export interface RemoteRunRecord {
  format: 'corpus-proximity-remote-run';
  version: 1;
  run_id: string;
  step: RemoteRunStep;
  created_at: string;
  updated_at: string;
  /** The local index folder the run syncs into (absolute). */
  output: string;
  /** Local files and folders (absolute) and where they go under the remote work folder. */
  uploads: Array<{ local: string; remote: string }>;
  /** `corpus-proximity index` arguments run remotely (paths relative to the remote work folder). */
  index_args: string[];
  provider: string;
  instance?: Pick<GpuInstance, 'providerId' | 'id' | 'name' | 'createdByTool'>;
  endpoint?: SshEndpoint;
  /** Pinned host key (`SHA256:…`), trusted on first use. */
  host_key?: string;
  /** Remote folder of this run. */
  remote_dir: string;
  /** Remote folder of tool installs (shared by runs). */
  remote_tool_root?: string;
  /** Bytes of the local pipeline.log that came from earlier instances (the current host's log starts after them). */
  log_base?: number;
  /** Shard files pulled so far (names under .work/embeddings/). */
  shards_pulled: string[];
  keep_running: boolean;
  exit_code?: number;
  error?: string;
  /** How many instances this run has used (more than one after a lost instance). */
  attempts: number;
}

/** The record's folder and files. */
export function runRecordPaths(directory: string) {
  return {
    directory,
    json: join(directory, 'run.json'),
    log: join(directory, 'pipeline.log'),
    hostKey: join(directory, 'host_key'),
    shards: join(directory, 'shards'),
  };
}

/** Reads run.json of a run folder. */
export async function readRunRecord(directory: string): Promise<RemoteRunRecord> {
  const path = runRecordPaths(directory).json;
  const text = await readFile(path, 'utf8').catch(() => {
    throw new RemoteRunError('run-not-found', `${path}: no run record here; give a folder under remote_results/ (or its timestamp) that a --deploy-gpu run created`);
  });
  const record = JSON.parse(text) as RemoteRunRecord;
  if (record.format !== 'corpus-proximity-remote-run') throw new RemoteRunError('run-not-found', `${path} is not a corpus-proximity remote run record`);
  return record;
}

/** Writes run.json atomically, with updated_at set to now. */
export async function writeRunRecord(directory: string, record: RemoteRunRecord): Promise<void> {
  record.updated_at = new Date().toISOString();
  await mkdir(directory, { recursive: true });
  await writeFileAtomic(runRecordPaths(directory).json, `${JSON.stringify(record, null, 2)}\n`);
}

/** A new run folder name: clustering_<UTC timestamp>, e.g. clustering_20261130T190102Z. */
export function newRunId(now = new Date(), taken: (id: string) => boolean = () => false): string {
  const base = `clustering_${now.toISOString().replace(/[-:]/g, '').replace(/\.\d+Z$/, 'Z')}`;
  let id = base;
  for (let n = 2; taken(id); n++) id = `${base}-${n}`;
  return id;
}

/** Finds a run folder from a path or a timestamp (`20261130T190102Z` or `clustering_…`) under resultsDirectory. */
export async function resolveRunDirectory(run: string, resultsDirectory: string): Promise<string> {
  const candidates = [run, join(resultsDirectory, run), join(resultsDirectory, `clustering_${run}`)];
  for (const candidate of candidates) {
    if ((await stat(join(candidate, 'run.json')).catch(() => undefined))?.isFile()) return resolve(candidate);
  }
  throw new RemoteRunError('run-not-found', `no remote run "${run}": looked for run.json in ${candidates.join(', ')}. List runs with \`ls ${resultsDirectory}\`.`);
}

/** The newest unfinished run that syncs into `output`, if any (so the same command resumes it). */
export async function findUnfinishedRun(resultsDirectory: string, output: string): Promise<string | undefined> {
  const names = await readdir(resultsDirectory).catch(() => [] as string[]);
  for (const name of names.filter((entry) => entry.startsWith('clustering_')).sort().reverse()) {
    const directory = join(resultsDirectory, name);
    const record = await readRunRecord(directory).catch(() => undefined);
    if (record && record.output === resolve(output) && record.step !== 'done') return resolve(directory);
  }
  return undefined;
}
