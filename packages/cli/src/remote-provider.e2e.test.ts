import { appendFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
// @ts-expect-error plain ESM module without types
import { wordNetSlice } from '../../../examples/wordnet/wordnet-corpus.mjs';
import { hasSshdAndTmux, startTestSshd, type TestSshd } from '../../providers/src/remote/test-support/start-test-sshd.js';
import { startFakeRunPod, startFakeVast, type FakeRunPod, type FakeVast } from '../../providers/src/test/fake-servers.js';
import { runCli } from './test-support/run-cli.js';

// `index --deploy-gpu --provider runpod|vast` and `remote list|cleanup`, pointed at the fake RunPod
// and Vast APIs (127.0.0.1) with RUNPOD_API_URL / VAST_API_URL; their instances are a local sshd.

const work = mkdtempSync(join(tmpdir(), 'cp-provider-e2e-'));
const runKey = join(work, 'run_ed25519');
let sshd: TestSshd;
let runpod: FakeRunPod;
let vast: FakeVast;
let environment: NodeJS.ProcessEnv;

const describeSsh = hasSshdAndTmux() ? describe : describe.skip;

function authorize(publicKey: string | undefined): void {
  if (!publicKey) throw new Error('the instance was created without a PUBLIC_KEY');
  appendFileSync(join(sshd.directory, 'authorized_keys'), `${publicKey.trim()}\n`);
}

beforeAll(async () => {
  if (!hasSshdAndTmux()) return;
  sshd = await startTestSshd();
  const generated = spawnSync('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-C', 'provider-e2e', '-f', runKey]);
  if (generated.status !== 0) throw new Error(`ssh-keygen failed: ${generated.stderr.toString()}`);
  const ssh = { host: sshd.host, port: sshd.port };
  runpod = await startFakeRunPod({ ssh, onCreate: (pod) => authorize(pod.env.PUBLIC_KEY) });
  vast = await startFakeVast({ ssh, onCreate: (instance) => authorize(instance.extra_env.find(([name]) => name === 'PUBLIC_KEY')?.[1]) });
  environment = {
    SOURCE_DATE_EPOCH: '1764500000',
    RUNPOD_API_KEY: runpod.apiKey,
    RUNPOD_API_URL: runpod.settings.baseURL,
    RUNPOD_GRAPHQL_URL: runpod.settings.graphqlURL,
    VAST_API_KEY: vast.apiKey,
    VAST_API_URL: vast.settings.baseURL,
  };
  const { corpus } = wordNetSlice({ size: 200, seed: 11 }) as { corpus: Array<Record<string, unknown>> };
  writeFileSync(join(work, 'wordnet.jsonl'), corpus.map((record) => JSON.stringify(record)).join('\n') + '\n');
  writeFileSync(join(work, 'config.json'), JSON.stringify({ dimensions: 32, clustering: { maxDepth: 1 }, umap: { nComponents: 4 } }));
}, 60_000);

afterEach(() => {
  if (!runpod) return;
  expect(runpod.pods()).toEqual([]);
  expect(vast.instances()).toEqual([]);
});

afterAll(async () => {
  await sshd?.close();
  await runpod?.close();
  await vast?.close();
  rmSync(work, { recursive: true, force: true });
});

const deploy = (provider: string, output: string) => [
  'index', 'wordnet.jsonl', '--config', 'config.json', '--seed', '3', '--yes', '--output', output,
  '--deploy-gpu', '--provider', provider, '--ssh-key', runKey, '--remote-dir', join(work, 'host'),
];

describeSsh('index --deploy-gpu on the fake RunPod and Vast APIs', () => {
  it('runpod --keep-running leaves one pod that `remote list` shows and `remote cleanup` terminates', async () => {
    const run = await runCli([...deploy('runpod', 'runpod-index'), '--keep-running'], { cwd: work, env: environment });
    expect(run.stderr).toContain('index synced to runpod-index');
    expect(run.code).toBe(0);
    expect(JSON.parse(readFileSync(join(work, 'runpod-index', 'manifest.json'), 'utf8')).files).toBeDefined();
    const pods = runpod.pods();
    expect(pods).toHaveLength(1);
    const list = await runCli(['remote', 'list', '--provider', 'runpod'], { cwd: work, env: environment });
    expect(list.code).toBe(0);
    expect(list.stdout).toContain('runpod: 1 instance(s) tagged corpus-proximity');
    expect(list.stdout).toContain(pods[0]!.id);
    const cleanup = await runCli(['remote', 'cleanup', '--provider', 'runpod'], { cwd: work, env: environment });
    expect(cleanup.code).toBe(0);
    expect(cleanup.stdout).toContain(`terminated runpod ${pods[0]!.id}`);
    expect(cleanup.stdout).toContain('1 instance(s) terminated');
    // The API key reached the fake (it accepted the calls) but no output.
    for (const text of [run.stdout, run.stderr, list.stdout, list.stderr, cleanup.stdout]) expect(text).not.toContain(runpod.apiKey);
  }, 600_000);

  it('vast: runs, syncs and destroys the instance; `remote list` shows none', async () => {
    const run = await runCli(deploy('vast', 'vast-index'), { cwd: work, env: environment });
    expect(run.stderr).toContain('index synced to vast-index');
    expect(run.code).toBe(0);
    expect(vast.requests.some((request) => request.method === 'DELETE')).toBe(true);
    const list = await runCli(['remote', 'list', '--provider', 'vast'], { cwd: work, env: environment });
    expect(list.stdout).toContain('vast: 0 instance(s) tagged corpus-proximity');
  }, 600_000);
});
