import { afterAll, beforeAll, expect } from 'vitest';
import { createRunPodProvider } from './runpod/create-runpod-provider.js';
import { createSshProvider } from './ssh/create-ssh-provider.js';
import { startFakeRunPod, startFakeVast, testGpuProvider, type FakeRunPod, type FakeVast } from './test/index.js';
import { startLocalSshd, type LocalSshd } from './test-support/start-local-sshd.js';
import { createVastProvider } from './vast/create-vast-provider.js';

let sshd: LocalSshd;
let runpod: FakeRunPod;
let vast: FakeVast;
const fast = { pollMs: 20, minRetryDelayMs: 5, maxRetryDelayMs: 50, sshProbeTimeoutMs: 2_000 };

beforeAll(async () => {
  sshd = await startLocalSshd();
  runpod = await startFakeRunPod({ ssh: sshd });
  vast = await startFakeVast({ ssh: sshd });
});

afterAll(async () => {
  // Checked on the servers too: nothing the suites rented is left.
  expect(runpod.pods()).toEqual([]);
  expect(vast.instances()).toEqual([]);
  await Promise.all([runpod.close(), vast.close(), sshd.close()]);
});

testGpuProvider('runpod (fake RunPod API on 127.0.0.1, real sshd)', () => createRunPodProvider({ ...runpod.settings, ...fast }), {
  makeNextInstanceStuck: () => runpod.injectFault({ kind: 'stuck-provisioning' }),
  readyTimeoutMs: 15_000,
});

testGpuProvider('vast (fake Vast API on 127.0.0.1, real sshd)', () => createVastProvider({ ...vast.settings, ...fast }), {
  makeNextInstanceStuck: () => vast.injectFault({ kind: 'stuck-provisioning' }),
  readyTimeoutMs: 15_000,
});

testGpuProvider('ssh (existing host: real sshd on 127.0.0.1)', () => createSshProvider({ pollMs: 20 }), {
  existing: () => `root@127.0.0.1:${sshd.port}`,
  readyTimeoutMs: 15_000,
});
