import { homedir } from 'node:os';
import { existsSync } from 'node:fs';
import { isAbsolute, join, normalize, sep } from 'node:path';
import { confirmExactCorpus } from '../confirm-corpus.js';
import { readIndexConfig } from '../index-config.js';
import { createProgressReporter } from '../progress.js';
import { resolveCliProvider, parseSshTarget } from '../remote-provider.js';
import { UsageError } from '../usage-error.js';

/** Flags of `index --deploy-gpu` (plus the index flags passed on to the remote run). */
export interface RemoteIndexFlags {
  output?: string;
  config?: string;
  provider?: string;
  gpu?: string;
  maxPrice?: string;
  keepRunning?: boolean;
  useExisting?: string;
  sshKey?: string;
  remoteDir?: string;
  image?: string;
  embeddings?: string;
  chunks?: string;
  yes?: boolean;
  quiet?: boolean;
  [flag: string]: unknown;
}

/** Index flags passed on unchanged to `corpus-proximity index` on the host (none of them a path or a secret). */
const PASSED_ON: Record<string, string> = {
  stage: '--stage',
  textField: '--text-field',
  seed: '--seed',
  maxChunks: '--max-chunks',
  skipInvalid: '--skip-invalid',
  chunking: '--chunking',
  embedder: '--embedder',
  device: '--device',
  dtype: '--dtype',
  batchSize: '--batch-size',
  checkpointEvery: '--checkpoint-every',
  embeddingBaseUrl: '--embedding-base-url',
  fitSample: '--fit-sample',
  namer: '--namer',
  namingBaseUrl: '--naming-base-url',
  namingConcurrency: '--naming-concurrency',
};

/** Environment passed to the remote pipeline through a 0600 file (never a command line). */
export const FORWARDED_ENVIRONMENT = ['OPENAI_API_KEY', 'OPENAI_BASE_URL', 'HF_TOKEN', 'SOURCE_DATE_EPOCH'];

/** `corpus-proximity index … --deploy-gpu`: the same index, built on a GPU host and synced back. */
export async function runRemoteIndexCommand(args: string[], flags: RemoteIndexFlags): Promise<void> {
  const config = flags.config ? await readIndexConfig(flags.config) : {};
  const output = flags.output ?? config.output;
  if (!output) throw new UsageError('index: --output DIR is required (the index folder the remote run syncs into)');
  if (flags.embeddings !== undefined || flags.chunks !== undefined) throw new UsageError('index --deploy-gpu: --embeddings/--chunks are not supported remotely; index them locally');
  const providerName = flags.provider ?? (flags.useExisting && parseSshTarget(flags.useExisting) ? 'ssh' : 'runpod');
  const inputs = args.map((arg) => {
    const match = /^([A-Za-z][\w-]*)=(.+)$/.exec(arg);
    return match && !existsSync(arg) ? { path: match[2]!, stage: match[1]! } : { path: arg };
  });
  const extraUploads: string[] = [];
  for (const input of config.inputs ?? []) {
    const path = typeof input === 'string' ? input.replace(/^[A-Za-z][\w-]*=/, '') : input.path;
    if (isAbsolute(path) || normalize(path).split(sep).includes('..')) {
      throw new UsageError(`${flags.config}: input "${path}" is not inside the current folder; for --deploy-gpu give it as an argument instead (the host gets it under inputs/)`);
    }
    extraUploads.push(path);
  }
  if (inputs.length === 0 && extraUploads.length === 0) throw new UsageError('index: give at least one corpus file or folder');
  for (const input of [...inputs.map((entry) => entry.path), ...extraUploads]) {
    if (!existsSync(input)) throw new UsageError(`${input}: no such file or folder; check the corpus path`);
  }
  const maxPrice = flags.maxPrice === undefined ? undefined : Number(flags.maxPrice);
  if (maxPrice !== undefined && !(maxPrice > 0)) throw new UsageError(`--max-price ${flags.maxPrice}: expected a price in USD per hour, e.g. 2.5`);
  const sshKey = flags.sshKey ?? process.env.SSH_KEY_PATH ?? join(homedir(), '.ssh', 'id_ed25519');
  if (!existsSync(sshKey)) throw new UsageError(`--ssh-key ${sshKey}: no such file; give the private key whose .pub the host accepts (default ~/.ssh/id_ed25519, or SSH_KEY_PATH)`);
  await confirmExactCorpus({ yes: flags.yes });

  const indexArgs: string[] = [];
  for (const [key, flag] of Object.entries(PASSED_ON)) {
    const value = flags[key];
    if (value === true) indexArgs.push(flag);
    else if (typeof value === 'string') indexArgs.push(flag, value);
  }
  const environment: Record<string, string> = {};
  for (const name of FORWARDED_ENVIRONMENT) if (process.env[name] !== undefined) environment[name] = process.env[name]!;
  const embedder = String(flags.embedder ?? config.embedder ?? 'lsa');
  const namer = String(flags.namer ?? config.namer ?? 'keywords');
  const extraPackages = [
    ...(embedder === 'arctic' || embedder.startsWith('onnx:') ? ['@huggingface/transformers@^4.3.1'] : []),
    ...(embedder.startsWith('openai:') || namer.startsWith('openai:') ? ['openai@^6.0.0'] : []),
  ];

  const provider = await resolveCliProvider(providerName, { useExisting: flags.useExisting });
  const { runRemoteIndex } = await import('@corpus-proximity/providers');
  const progress = createProgressReporter({ quiet: flags.quiet });
  const controller = new AbortController();
  const onSignal = (signal: NodeJS.Signals) => {
    if (controller.signal.aborted) process.exit(signal === 'SIGINT' ? 130 : 143);
    progress.finish();
    process.stderr.write(`\ninterrupted (${signal}): stopping and cleaning up (terminating the instance unless --keep-running or --use-existing); press again to quit at once\n`);
    controller.abort();
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  const started = Date.now();
  try {
    const result = await runRemoteIndex({
      provider,
      output,
      inputs,
      configFile: flags.config,
      extraUploads,
      indexArgs,
      sshKey,
      useExisting: flags.useExisting,
      gpu: { ...(flags.image ? { image: flags.image } : {}), ...(flags.gpu ? { gpuType: flags.gpu } : {}), ...(maxPrice !== undefined ? { maxPricePerHour: maxPrice } : {}) },
      keepRunning: flags.keepRunning,
      remoteRoot: flags.remoteDir,
      environment,
      install: { extraPackages, npmFlags: ['--prefer-offline'] },
      onProgress: progress,
      onLog: (line) => {
        if (flags.quiet) return;
        progress.finish();
        process.stderr.write(`remote: ${line}\n`);
      },
      onWarning: (message) => {
        progress.finish();
        process.stderr.write(`warning: ${message}\n`);
      },
      abortSignal: controller.signal,
    });
    progress.finish();
    const seconds = ((Date.now() - started) / 1000).toFixed(1);
    process.stderr.write(
      `index synced to ${output} from ${result.record.endpoint ? `${result.record.endpoint.username}@${result.record.endpoint.host}:${result.record.endpoint.port}` : provider.providerId} in ${seconds}s` +
        `${result.installSkipped ? ' (tool already installed on the host)' : ''}; run record: ${result.runDirectory}\n` +
        `next: corpus-proximity show --index ${output} --tree\n`,
    );
  } finally {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
  }
}
