import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadCorpusIndex } from '@corpus-proximity/core';
import { sha256File } from '@corpus-proximity/core/internal';
// @ts-expect-error plain ESM module without types
import { wordNetSlice } from '../../../../examples/wordnet/wordnet-corpus.mjs';
import { RemoteRunError } from './remote-run-error.js';
import { readRunRecord } from './run-record.js';
import { runRemoteIndex, REMOTE_TAG, type RunRemoteIndexOptions } from './run-remote-index.js';
import { startFakeEmbeddings, type FakeEmbeddings } from './test-support/fake-openai-embeddings.js';
import { createLoopbackProvider } from './test-support/loopback-provider.js';
import { hasSshdAndTmux, startTestSshd, type TestSshd } from './test-support/start-test-sshd.js';

const SECRET = 'sk-test-' + 'remote-secret-5f1e9c';
const work = mkdtempSync(join(tmpdir(), 'cp-remote-'));
// A corpus folder whose name a shell would expand if anything were left unquoted.
const corpusDirectory = `corpus dir 'q' "dq" $(touch PWNED) ;x`;
const remoteRoot = join(work, 'remote-host');
let sshd: TestSshd;
let fake: FakeEmbeddings;
const commands: string[] = [];

const describeSsh = hasSshdAndTmux() ? describe : describe.skip;

beforeAll(async () => {
  sshd = await startTestSshd();
  fake = await startFakeEmbeddings({ apiKey: SECRET, delayMs: 150, dimensions: 1536 });
  const { corpus } = wordNetSlice({ size: 240, seed: 3 }) as { corpus: Array<Record<string, unknown>> };
  mkdirSync(join(work, corpusDirectory), { recursive: true });
  writeFileSync(join(work, corpusDirectory, 'glosses.jsonl'), corpus.map((record) => JSON.stringify(record)).join('\n') + '\n');
  writeFileSync(join(work, 'config.json'), JSON.stringify({ clustering: { maxDepth: 1 }, umap: { nComponents: 4 } }));
}, 60_000);

afterAll(async () => {
  await sshd?.close();
  await fake?.close();
  rmSync(work, { recursive: true, force: true });
});

/** Options of a run in the test folder (relative paths, as a user in that folder would give them). */
function options(overrides: Partial<RunRemoteIndexOptions> & Pick<RunRemoteIndexOptions, 'provider'>): RunRemoteIndexOptions {
  return {
    output: join(work, 'index'),
    inputs: [{ path: `${corpusDirectory}/glosses.jsonl` }],
    configFile: 'config.json',
    indexArgs: ['--embedder', 'openai:text-embedding-3-small', '--embedding-base-url', fake.baseURL, '--batch-size', '20', '--checkpoint-every', '40', '--seed', '5'],
    sshKey: sshd.privateKeyPath,
    resultsDirectory: join(work, 'remote_results'),
    remoteRoot,
    // Installs are keyed by the tool's contents; sharing them across test runs keeps the suite fast.
    remoteToolRoot: join(tmpdir(), 'corpus-proximity-remote-test-tools'),
    environment: { OPENAI_API_KEY: SECRET },
    install: { extraPackages: ['openai@6.49.0'], npmFlags: ['--prefer-offline'] },
    pollMs: 200,
    onRemoteCommand: (command) => commands.push(command),
    ...overrides,
  };
}

/** Runs in the test folder (relative input paths resolve there). */
async function inWork<T>(run: () => Promise<T>): Promise<T> {
  const previous = process.cwd();
  process.chdir(work);
  try {
    return await run();
  } finally {
    process.chdir(previous);
  }
}

function filesUnder(directory: string): string[] {
  if (!existsSync(directory)) return [];
  return readdirSync(directory, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile())
    .map((entry) => join(entry.parentPath, entry.name));
}

describeSsh('runRemoteIndex on a real sshd and tmux (loopback host)', () => {
  it('provisions, uploads a hostile-named corpus, runs in tmux, pulls shards, syncs a checked index and terminates', async () => {
    const provider = createLoopbackProvider(sshd, { remoteRoot });
    const lines: string[] = [];
    const result = await inWork(() => runRemoteIndex(options({ provider, onLog: (line) => lines.push(line) })));
    expect(await provider.list(REMOTE_TAG)).toEqual([]);
    expect(provider.created).toBe(1);
    const index = await loadCorpusIndex(join(work, 'index'));
    expect(index.count).toBe(240);
    const manifest = JSON.parse(readFileSync(join(work, 'index', 'manifest.json'), 'utf8')) as { files: Record<string, { sha256: string }> };
    for (const [name, entry] of Object.entries(manifest.files)) expect((await sha256File(join(work, 'index', name))).sha256).toBe(entry.sha256);
    expect(existsSync(join(work, 'index', 'build-log.json'))).toBe(true);
    // The index records the corpus path exactly as given (relative paths keep their spelling remotely).
    expect(readFileSync(join(work, 'index', 'metadata.jsonl'), 'utf8')).toContain(JSON.stringify(`${corpusDirectory}/glosses.jsonl`).slice(1, -1));
    const record = await readRunRecord(result.runDirectory);
    expect(record.step).toBe('done');
    expect(record.shards_pulled.length).toBeGreaterThanOrEqual(2);
    for (const shard of record.shards_pulled) expect(existsSync(join(result.runDirectory, 'shards', 'embeddings', shard))).toBe(true);
    const pinned = readFileSync(join(result.runDirectory, 'host_key'), 'utf8');
    const expected = execFileSync('ssh-keygen', ['-lf', join(sshd.directory, 'host_ed25519.pub')], { encoding: 'utf8' }).split(' ')[1]!;
    expect(record.host_key).toBe(expected);
    expect(pinned).toContain(expected);
    expect(readFileSync(join(result.runDirectory, 'pipeline.log'), 'utf8')).toContain('index written');
    expect(lines.some((line) => line.includes('index written'))).toBe(true);
    // The key reached the pipeline (the fake server saw it) but nowhere else.
    expect(fake.requests).toBeGreaterThanOrEqual(12);
    expect(fake.rejected).toBe(0);
    for (const file of [...filesUnder(join(work, 'remote_results')), ...filesUnder(join(work, 'index'))]) expect(readFileSync(file).includes(SECRET)).toBe(false);
    expect(commands.length).toBeGreaterThan(0);
    for (const command of commands) expect(command).not.toContain(SECRET);
    // Nothing expanded the $(touch PWNED) in the corpus path, locally or on the host.
    expect(filesUnder(work).some((file) => file.endsWith('PWNED'))).toBe(false);
    expect(existsSync(join(process.env.HOME ?? '/root', 'PWNED'))).toBe(false);
  }, 240_000);

  it('skips the install when the same tool is on the host, and reports a failing pipeline with its exit code and log', async () => {
    const provider = createLoopbackProvider(sshd, { remoteRoot });
    fake.failingModels.add('text-embedding-ada-002');
    const error = await inWork(() =>
      runRemoteIndex(options({ provider, output: join(work, 'failing'), indexArgs: ['--embedder', 'openai:text-embedding-ada-002', '--embedding-base-url', fake.baseURL] })),
    ).catch((caught: unknown) => caught);
    expect(RemoteRunError.isInstance(error)).toBe(true);
    const failure = error as RemoteRunError;
    expect(failure.code).toBe('pipeline-failed');
    expect(failure.exitCode).toBeGreaterThan(0);
    expect(failure.message).toContain('is broken');
    expect(failure.message).not.toContain(SECRET);
    expect(await provider.list(REMOTE_TAG)).toEqual([]);
    expect(existsSync(join(work, 'failing', 'manifest.json'))).toBe(false);
    // The same output with other arguments (the fix) is a new run, not a resume of the failed one.
    const warnings: string[] = [];
    const fixed = await inWork(() => runRemoteIndex(options({ provider, output: join(work, 'failing'), onWarning: (message) => warnings.push(message) })));
    expect(fixed.record.attempts).toBe(1);
    expect(fixed.installSkipped).toBe(true);
    expect(warnings.some((message) => message.includes('with other arguments; starting a new run'))).toBe(true);
    expect(existsSync(join(work, 'failing', 'manifest.json'))).toBe(true);
  }, 240_000);

  it('waits through a refused SSH connection until sshd accepts', async () => {
    const provider = createLoopbackProvider(sshd, { remoteRoot });
    await sshd.stop();
    const warnings: string[] = [];
    const restart = setTimeout(() => void sshd.start(), 1500);
    try {
      await inWork(() => runRemoteIndex(options({ provider, output: join(work, 'refused'), onWarning: (message) => warnings.push(message) })));
    } finally {
      clearTimeout(restart);
    }
    expect(warnings.some((message) => /SSH to .* failed/.test(message))).toBe(true);
    expect(existsSync(join(work, 'refused', 'manifest.json'))).toBe(true);
    expect(await provider.list(REMOTE_TAG)).toEqual([]);
  }, 240_000);

  it('reconnects and carries on when the connection drops while the pipeline runs', async () => {
    const provider = createLoopbackProvider(sshd, { remoteRoot });
    const warnings: string[] = [];
    let dropped = false;
    await inWork(() =>
      runRemoteIndex(
        options({
          provider,
          output: join(work, 'dropped'),
          onWarning: (message) => warnings.push(message),
          onProgress: (event) => {
            if (event.stage === 'run' && event.done >= 1 && !dropped) {
              dropped = true;
              sshd.dropConnections();
            }
          },
        }),
      ),
    );
    expect(dropped).toBe(true);
    expect(warnings.some((message) => message.includes('dropped'))).toBe(true);
    const synced = JSON.parse(readFileSync(join(work, 'dropped', 'manifest.json'), 'utf8')) as { files: Record<string, { sha256: string }> };
    for (const [name, entry] of Object.entries(synced.files)) expect((await sha256File(join(work, 'dropped', name))).sha256).toBe(entry.sha256);
    expect(filesUnder(join(work, 'dropped')).filter((file) => file.endsWith('.partial'))).toEqual([]);
    expect(await provider.list(REMOTE_TAG)).toEqual([]);
  }, 240_000);

  for (const step of ['provision', 'ssh', 'upload', 'install', 'run', 'sync'] as const) {
    it(`Ctrl-C during ${step} leaves no instance`, async () => {
      const provider = createLoopbackProvider(sshd, { remoteRoot });
      const controller = new AbortController();
      const error = await inWork(() =>
        runRemoteIndex(
          options({
            provider,
            output: join(work, `abort-${step}`),
            resume: false,
            abortSignal: controller.signal,
            onProgress: (event) => {
              if (event.stage === step && (step !== 'run' || fake.requests > 0)) controller.abort();
            },
          }),
        ),
      ).catch((caught: unknown) => caught);
      expect(RemoteRunError.isInstance(error) && error.code).toBe('aborted');
      expect(await provider.list(REMOTE_TAG)).toEqual([]);
    }, 240_000);
  }

  it('says so when terminating fails, keeping the original error', async () => {
    const provider = createLoopbackProvider(sshd, { remoteRoot });
    provider.terminate = async () => {
      throw new Error('API answered 503');
    };
    const controller = new AbortController();
    const warnings: string[] = [];
    const error = await inWork(() =>
      runRemoteIndex(
        options({
          provider,
          output: join(work, 'terminate-fails'),
          resume: false,
          abortSignal: controller.signal,
          onWarning: (message) => warnings.push(message),
          onProgress: (event) => event.stage === 'upload' && controller.abort(),
        }),
      ),
    ).catch((caught: unknown) => caught);
    expect(RemoteRunError.isInstance(error) && error.code).toBe('aborted');
    expect(warnings.some((message) => /could not terminate loopback instance lb-\d+ \(API answered 503\).*remote cleanup --provider loopback/.test(message))).toBe(true);
    expect(await provider.list(REMOTE_TAG)).toHaveLength(1);
  }, 120_000);

  it('resumes on a new instance from the pulled shards when the instance was lost', async () => {
    const provider = createLoopbackProvider(sshd, { remoteRoot });
    const controller = new AbortController();
    const output = join(work, 'resumed');
    const first = await inWork(() =>
      runRemoteIndex(
        options({
          provider,
          output,
          abortSignal: controller.signal,
          keepRunning: false,
          onProgress: () => {
            if (readRecordShards(output) >= 2) controller.abort();
          },
        }),
      ),
    ).catch((caught: unknown) => caught);
    expect(RemoteRunError.isInstance(first) && first.code).toBe('aborted');
    expect(await provider.list(REMOTE_TAG)).toEqual([]);
    const second = await inWork(() => runRemoteIndex(options({ provider, output })));
    expect(second.record.attempts).toBe(2);
    // The local pipeline.log holds both hosts' logs: the new host's lines follow the old ones.
    const log = readFileSync(join(second.runDirectory, 'pipeline.log'), 'utf8');
    expect(log.match(/\[read\] 240\/240/g)?.length).toBe(2);
    expect(log).toContain('index written');
    const buildLog = JSON.parse(readFileSync(join(output, 'build-log.json'), 'utf8')) as { embedding: { resumed_from_checkpoint: number } };
    expect(buildLog.embedding.resumed_from_checkpoint).toBeGreaterThanOrEqual(80);
    const reference = JSON.parse(readFileSync(join(work, 'index', 'manifest.json'), 'utf8')) as { files: Record<string, unknown> };
    const resumed = JSON.parse(readFileSync(join(output, 'manifest.json'), 'utf8')) as { files: Record<string, unknown> };
    expect(resumed.files['embeddings.npy']).toEqual(reference.files['embeddings.npy']);
    expect(await provider.list(REMOTE_TAG)).toEqual([]);
  }, 300_000);

  it('refuses a changed host key when resuming a run on an existing host', async () => {
    const provider = createLoopbackProvider(sshd, { remoteRoot });
    const existing = await provider.provision({ name: 'existing-host', tag: 'user-owned', gpuCount: 1, image: '', diskGb: 1, sshPublicKey: '' });
    const controller = new AbortController();
    const output = join(work, 'rekeyed');
    const first = await inWork(() =>
      runRemoteIndex(options({ provider, output, useExisting: 'existing-host', abortSignal: controller.signal, onProgress: (event) => event.stage === 'upload' && controller.abort() })),
    ).catch((caught: unknown) => caught);
    expect(RemoteRunError.isInstance(first) && first.code).toBe('aborted');
    expect(await provider.find(existing.id)).toBeDefined(); // an existing host is never destroyed
    await sshd.regenerateHostKey();
    await sshd.stop();
    await sshd.start();
    const second = await inWork(() => runRemoteIndex(options({ provider, output, useExisting: 'existing-host' }))).catch((caught: unknown) => caught);
    expect(RemoteRunError.isInstance(second) && second.code).toBe('host-key-changed');
    expect((second as Error).message).toMatch(/SHA256:\S+ .*pinned SHA256:/);
    expect(await provider.find(existing.id)).toBeDefined();
    await provider.terminate(existing);
  }, 240_000);
});

function readRecordShards(output: string): number {
  const results = join(work, 'remote_results');
  for (const name of existsSync(results) ? readdirSync(results) : []) {
    const file = join(results, name, 'run.json');
    if (!existsSync(file) || statSync(file).size === 0) continue;
    try {
      const record = JSON.parse(readFileSync(file, 'utf8')) as { output: string; shards_pulled: string[] };
      if (record.output === output) return record.shards_pulled.length;
    } catch {
      // being rewritten
    }
  }
  return 0;
}
