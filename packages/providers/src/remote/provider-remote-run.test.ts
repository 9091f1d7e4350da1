import { appendFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { loadCorpusIndex } from '@corpus-proximity/core';
import { sha256File } from '@corpus-proximity/core/internal';
// @ts-expect-error plain ESM module without types
import { wordNetSlice } from '../../../../examples/wordnet/wordnet-corpus.mjs';
import type { GpuProviderV1 } from '../gpu-provider-spec.js';
import { createRunPodProvider } from '../runpod/create-runpod-provider.js';
import { startFakeRunPod, startFakeVast, type FakeRunPod, type FakeVast } from '../test/fake-servers.js';
import { createVastProvider } from '../vast/create-vast-provider.js';
import { RemoteRunError } from './remote-run-error.js';
import { readRunRecord } from './run-record.js';
import { runRemoteIndex, REMOTE_TAG, type RunRemoteIndexOptions } from './run-remote-index.js';
import { startFakeEmbeddings, type FakeEmbeddings } from './test-support/fake-openai-embeddings.js';
import { hasSshdAndTmux, startTestSshd, type TestSshd } from './test-support/start-test-sshd.js';

// The remote run against the fake RunPod and Vast APIs (real HTTP servers on 127.0.0.1), whose
// instances are the local test sshd: the instance's PUBLIC_KEY is authorized there when the fake
// creates it, as the real image does on boot. After every test the fake is listed: 0 instances.

const SECRET = 'sk-test-' + 'provider-run-7c2d';
const work = mkdtempSync(join(tmpdir(), 'cp-provider-run-'));
const remoteRoot = join(work, 'remote-host');
/** A key pair the sshd does not know until a fake provider "boots" an instance with its public half. */
const runKey = join(work, 'run_ed25519');
let sshd: TestSshd;
let embeddings: FakeEmbeddings;
let runpod: FakeRunPod;
let vast: FakeVast;

const describeSsh = hasSshdAndTmux() ? describe : describe.skip;

/** Authorizes an instance's PUBLIC_KEY on the test sshd (what the RunPod and Vast images do on boot). */
function authorize(publicKey: string | undefined): void {
  if (!publicKey) throw new Error('the instance was created without a PUBLIC_KEY');
  appendFileSync(join(sshd.directory, 'authorized_keys'), `${publicKey.trim()}\n`);
}

beforeAll(async () => {
  sshd = await startTestSshd();
  const generated = spawnSync('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-C', 'provider-run-test', '-f', runKey]);
  if (generated.status !== 0) throw new Error(`ssh-keygen failed: ${generated.stderr.toString()}`);
  embeddings = await startFakeEmbeddings({ apiKey: SECRET, dimensions: 1536 });
  const ssh = { host: sshd.host, port: sshd.port };
  runpod = await startFakeRunPod({ ssh, onCreate: (pod) => authorize(pod.env.PUBLIC_KEY) });
  vast = await startFakeVast({ ssh, onCreate: (instance) => authorize(instance.extra_env.find(([name]) => name === 'PUBLIC_KEY')?.[1]) });
  const { corpus } = wordNetSlice({ size: 60, seed: 11 }) as { corpus: Array<Record<string, unknown>> };
  mkdirSync(join(work, 'corpus'), { recursive: true });
  writeFileSync(join(work, 'corpus', 'glosses.jsonl'), corpus.map((record) => JSON.stringify(record)).join('\n') + '\n');
  writeFileSync(join(work, 'config.json'), JSON.stringify({ clustering: { maxDepth: 1 }, umap: { nComponents: 4 } }));
}, 60_000);

afterEach(async () => {
  // Whatever a test did, it must leave no instance behind (a kept one is cleaned up by the test itself).
  expect(runpod.pods()).toEqual([]);
  expect(vast.instances()).toEqual([]);
  runpod.clearFaults();
  vast.clearFaults();
});

afterAll(async () => {
  await sshd?.close();
  await embeddings?.close();
  await runpod?.close();
  await vast?.close();
  rmSync(work, { recursive: true, force: true });
});

function runPodProvider(): GpuProviderV1 {
  return createRunPodProvider({ ...runpod.settings, username: sshd.username, pollMs: 100, sshProbeTimeoutMs: 2_000, minRetryDelayMs: 10, maxRetryDelayMs: 50 });
}

function vastProvider(): GpuProviderV1 {
  return createVastProvider({ ...vast.settings, username: sshd.username, pollMs: 100, sshProbeTimeoutMs: 2_000, minRetryDelayMs: 10, maxRetryDelayMs: 50 });
}

/** Options of a run in the test folder, with the tool installs shared with run-remote-index.test.ts. */
function options(provider: GpuProviderV1, output: string, overrides: Partial<RunRemoteIndexOptions> = {}): RunRemoteIndexOptions {
  return {
    provider,
    output: join(work, output),
    inputs: [{ path: 'corpus/glosses.jsonl' }],
    configFile: 'config.json',
    indexArgs: ['--embedder', 'openai:text-embedding-3-small', '--embedding-base-url', embeddings.baseURL, '--batch-size', '20', '--seed', '5'],
    sshKey: runKey,
    resultsDirectory: join(work, 'remote_results'),
    remoteRoot,
    remoteToolRoot: join(tmpdir(), 'corpus-proximity-remote-test-tools'),
    environment: { OPENAI_API_KEY: SECRET },
    install: { extraPackages: ['openai@6.49.0'], npmFlags: ['--prefer-offline'] },
    pollMs: 200,
    resume: false,
    ...overrides,
  };
}

async function inWork<T>(run: () => Promise<T>): Promise<T> {
  const previous = process.cwd();
  process.chdir(work);
  try {
    return await run();
  } finally {
    process.chdir(previous);
  }
}

/** The synced index loads, holds the corpus, and every file matches its manifest's sha256. */
async function expectSyncedIndex(output: string): Promise<void> {
  const index = await loadCorpusIndex(join(work, output));
  expect(index.count).toBe(60);
  const manifest = JSON.parse(readFileSync(join(work, output, 'manifest.json'), 'utf8')) as { files: Record<string, { sha256: string }> };
  for (const [name, entry] of Object.entries(manifest.files)) expect((await sha256File(join(work, output, name))).sha256).toBe(entry.sha256);
}

describeSsh('runRemoteIndex on the fake RunPod and Vast APIs (instances are a real local sshd)', () => {
  it('RunPod: rents a pod, runs, syncs the index and terminates the pod', async () => {
    const result = await inWork(() => runRemoteIndex(options(runPodProvider(), 'runpod-index')));
    await expectSyncedIndex('runpod-index');
    expect(result.record.step).toBe('done');
    expect((await readRunRecord(result.runDirectory)).instance).toBeUndefined();
    const created = runpod.requests.filter((request) => request.method === 'POST' && request.path === '/v1/pods');
    expect(created).toHaveLength(1);
    expect((created[0]!.body as { env: Record<string, string> }).env.CORPUS_PROXIMITY_TAG).toBe(REMOTE_TAG);
    expect(runpod.requests.some((request) => request.method === 'DELETE' && request.path.startsWith('/v1/pods/'))).toBe(true);
    expect(await runPodProvider().list(REMOTE_TAG)).toEqual([]);
    // The API key went only into the Authorization header: never into the run record or the index.
    for (const file of [join(result.runDirectory, 'run.json'), join(work, 'runpod-index', 'build-log.json')]) expect(readFileSync(file, 'utf8')).not.toContain(runpod.apiKey);
  }, 240_000);

  it('Vast: rents an ask, runs, syncs the index and destroys the instance', async () => {
    const result = await inWork(() => runRemoteIndex(options(vastProvider(), 'vast-index')));
    await expectSyncedIndex('vast-index');
    expect(result.record.step).toBe('done');
    expect(result.installSkipped).toBe(true); // the same tool was installed by the previous run
    expect(vast.requests.filter((request) => request.method === 'PUT' && /^\/api\/v0\/asks\/\d+\/$/.test(request.path))).toHaveLength(1);
    expect(vast.requests.some((request) => request.method === 'DELETE' && /^\/api\/v0\/instances\/\d+\/$/.test(request.path))).toBe(true);
    expect(await vastProvider().list(REMOTE_TAG)).toEqual([]);
  }, 240_000);

  it('keepRunning leaves exactly one instance, which listing by tag and terminating (remote cleanup) removes', async () => {
    const provider = runPodProvider();
    const result = await inWork(() => runRemoteIndex(options(provider, 'kept-index', { keepRunning: true })));
    await expectSyncedIndex('kept-index');
    const kept = await provider.list(REMOTE_TAG);
    expect(kept).toHaveLength(1);
    expect(runpod.pods()).toHaveLength(1);
    expect(kept[0]!.id).toBe(result.record.instance?.id);
    for (const instance of kept) await provider.terminate(instance);
    expect(await provider.list(REMOTE_TAG)).toEqual([]);
  }, 240_000);

  it('RunPod answering 500 after creating the pod: the run adopts (or removes) it and finishes with no unseen pod', async () => {
    runpod.injectFault({ kind: 'create-500-after-create' });
    const before = runpod.requests.length;
    const messages: string[] = [];
    const result = await inWork(() => runRemoteIndex(options(runPodProvider(), 'create-500-index', { onProgress: (event) => event.message && messages.push(event.message) })));
    await expectSyncedIndex('create-500-index');
    expect(result.record.step).toBe('done');
    // One create call (answered 500): the pod it made was found by name and used, not created twice.
    expect(runpod.requests.slice(before).filter((request) => request.method === 'POST' && request.path === '/v1/pods')).toHaveLength(1);
    expect(messages.some((message) => /the create call failed but the instance exists \(id \w+\); using it/.test(message))).toBe(true);
    // Every pod the fake made was seen and terminated: none left, listed by tag or at all.
    expect(await runPodProvider().list(REMOTE_TAG)).toEqual([]);
  }, 240_000);

  for (const name of ['RunPod', 'Vast'] as const) {
    it(`${name}: an instance stuck provisioning past the SSH deadline fails the run clearly and is terminated`, async () => {
      const fake = name === 'RunPod' ? runpod : vast;
      const provider = name === 'RunPod' ? runPodProvider() : vastProvider();
      fake.injectFault({ kind: 'stuck-provisioning' });
      const before = fake.requests.length;
      const started = Date.now();
      const error = await inWork(() => runRemoteIndex(options(provider, `stuck-${name}`, { deadlines: { ssh: 2_000 } }))).catch((caught: unknown) => caught);
      expect(Date.now() - started).toBeLessThan(60_000);
      expect(error).toBeInstanceOf(Error);
      const message = (error as Error).message;
      expect(message).toMatch(/ssh did not finish within 2 s|not reachable over SSH|loading/);
      if (RemoteRunError.isInstance(error)) expect(error.code).toBe('deadline');
      expect(existsSync(join(work, `stuck-${name}`, 'manifest.json'))).toBe(false);
      // It was polled while stuck, and deleted afterwards.
      const calls = fake.requests.slice(before);
      expect(calls.filter((request) => request.method === 'GET' && /\/(pods|instances)\/\w+\/?$/.test(request.path)).length).toBeGreaterThanOrEqual(2);
      expect(calls.filter((request) => request.method === 'DELETE')).toHaveLength(1);
      expect(await provider.list(REMOTE_TAG)).toEqual([]);
    }, 120_000);
  }

  it('RUNPOD_API_URL, RUNPOD_GRAPHQL_URL and VAST_API_URL point providers made without settings at other endpoints (read on use)', async () => {
    const runPodFromEnv = createRunPodProvider({ username: sshd.username });
    const vastFromEnv = createVastProvider({ username: sshd.username });
    vi.stubEnv('RUNPOD_API_KEY', runpod.apiKey);
    vi.stubEnv('RUNPOD_API_URL', runpod.settings.baseURL);
    vi.stubEnv('RUNPOD_GRAPHQL_URL', runpod.settings.graphqlURL);
    vi.stubEnv('VAST_API_KEY', vast.apiKey);
    vi.stubEnv('VAST_API_URL', vast.settings.baseURL);
    try {
      const request = { gpuCount: 1, image: 'img', diskGb: 10, name: 'env-check', tag: REMOTE_TAG, sshPublicKey: 'ssh-ed25519 AAAA' };
      expect((await runPodFromEnv.offers!(request)).length).toBeGreaterThan(0);
      expect(await runPodFromEnv.list(REMOTE_TAG)).toEqual([]);
      expect((await vastFromEnv.offers!(request)).length).toBeGreaterThan(0);
      expect(await vastFromEnv.list(REMOTE_TAG)).toEqual([]);
      expect(runpod.requests.at(-1)).toMatchObject({ method: 'GET', path: '/v1/pods' });
      expect(vast.requests.at(-1)).toMatchObject({ method: 'GET', path: '/api/v0/instances/' });
    } finally {
      vi.unstubAllEnvs();
    }
  });
});
