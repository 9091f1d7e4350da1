import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { CorpusProximityError } from '@corpus-proximity/core';
import { MissingApiKeyError, NoOfferError, ProviderError, ProviderTimeoutError } from '../provider-error.js';
import { conformanceGpuRequest, startFakeRunPod, type FakeRunPod } from '../test/index.js';
import { startLocalSshd, type LocalSshd } from '../test-support/start-local-sshd.js';
import { createRunPodProvider, type RunPodProviderSettings } from './create-runpod-provider.js';

let sshd: LocalSshd;
let fake: FakeRunPod;
const fast = { pollMs: 20, minRetryDelayMs: 5, maxRetryDelayMs: 50, sshProbeTimeoutMs: 2_000 };
const provider = (settings: RunPodProviderSettings = {}) => createRunPodProvider({ ...fake.settings, ...fast, ...settings });
const request = (name: string, extra: Partial<typeof conformanceGpuRequest & { gpuType: string; minVramGb: number; maxPricePerHour: number }> = {}) => ({
  ...conformanceGpuRequest,
  name,
  tag: 'cptest',
  ...extra,
});

beforeAll(async () => {
  sshd = await startLocalSshd();
  fake = await startFakeRunPod({ ssh: sshd });
});
afterEach(async () => {
  fake.clearFaults();
  fake.setSshEndpoint(sshd);
  const left = await provider().list('cptest');
  for (const instance of left) await provider().terminate(instance);
  expect(left.map((instance) => instance.name)).toEqual([]);
  expect(fake.pods()).toEqual([]);
});
afterAll(async () => {
  await Promise.all([fake.close(), sshd.close()]);
});

describe('createRunPodProvider', () => {
  it('does no I/O when created and names RUNPOD_API_KEY when no key is set', async () => {
    let calls = 0;
    const saved = process.env.RUNPOD_API_KEY;
    delete process.env.RUNPOD_API_KEY;
    try {
      const runpod = createRunPodProvider({ baseURL: fake.settings.baseURL, fetch: async () => (calls++, new Response('[]')) });
      expect(calls).toBe(0);
      const error = await runpod.list('cptest').catch((caught: unknown) => caught);
      expect(MissingApiKeyError.isInstance(error)).toBe(true);
      expect((error as MissingApiKeyError).envVar).toBe('RUNPOD_API_KEY');
      expect((error as Error).message).toMatch(/RUNPOD_API_KEY/);
      expect(calls).toBe(0);
    } finally {
      if (saved !== undefined) process.env.RUNPOD_API_KEY = saved;
    }
  });

  it('reads the key from RUNPOD_API_KEY on first use', async () => {
    const saved = process.env.RUNPOD_API_KEY;
    process.env.RUNPOD_API_KEY = fake.apiKey;
    try {
      const runpod = createRunPodProvider({ baseURL: fake.settings.baseURL, graphqlURL: fake.settings.graphqlURL });
      expect(await runpod.list('cptest')).toEqual([]);
    } finally {
      if (saved === undefined) delete process.env.RUNPOD_API_KEY;
      else process.env.RUNPOD_API_KEY = saved;
    }
  });

  it('picks the cheapest offer that fits the GPU type, VRAM, count and price', async () => {
    const runpod = provider();
    const cheapest = await runpod.offers!(request('x'));
    expect(cheapest[0]).toMatchObject({ gpuType: 'RTX A4000', pricePerHour: 0.17 });
    expect((await runpod.offers!(request('x', { gpuType: 'rtx4090' })))[0]).toMatchObject({ gpuType: 'RTX 4090', pricePerHour: 0.34 });
    expect((await runpod.offers!(request('x', { minVramGb: 48 })))[0]).toMatchObject({ gpuType: 'A100 PCIe', pricePerHour: 1.19 });
    expect((await runpod.offers!({ ...request('x', { gpuType: 'H100' }), gpuCount: 2 }))[0]).toMatchObject({ gpuType: 'H100 SXM', pricePerHour: 5.98, gpuCount: 2 });
    expect((await runpod.offers!(request('x', { maxPricePerHour: 0.3 }))).map((offer) => offer.pricePerHour)).toEqual([0.17]);
    expect((await provider({ cloudType: 'SECURE' }).offers!(request('x')))[0]).toMatchObject({ gpuType: 'RTX A4000', pricePerHour: 0.32 });
  });

  it('says which bound to loosen when nothing fits, and rents nothing', async () => {
    const error = await provider().provision(request('cptest-none', { gpuType: 'H100', maxPricePerHour: 2 })).catch((caught: unknown) => caught);
    expect(NoOfferError.isInstance(error)).toBe(true);
    expect((error as Error).message).toMatch(/\$2\.99\/h.*raise --max-price/);
    const unknown = await provider().provision(request('cptest-none', { gpuType: 'TPU' })).catch((caught: unknown) => caught);
    expect((unknown as Error).message).toMatch(/pick another --gpu/);
    expect(fake.requests.some((r) => r.method === 'POST' && r.path === '/v1/pods' && (r.body as { name?: string }).name === 'cptest-none')).toBe(false);
  });

  it('creates a pod with a public IP, port 22 and the public key, under the tagged name', async () => {
    const instance = await provider().provision(request('plain-name', { gpuType: '4090' }));
    expect(instance.name).toBe('cptest-plain-name');
    const body = fake.requests.filter((r) => r.method === 'POST' && r.path === '/v1/pods').at(-1)!.body as Record<string, unknown>;
    expect(body).toMatchObject({
      name: 'cptest-plain-name',
      gpuTypeIds: ['NVIDIA GeForce RTX 4090'],
      cloudType: 'COMMUNITY',
      ports: ['22/tcp'],
      supportPublicIp: true,
      containerDiskInGb: 20,
      env: { PUBLIC_KEY: conformanceGpuRequest.sshPublicKey, CORPUS_PROXIMITY_TAG: 'cptest' },
    });
    expect(instance).toMatchObject({ providerId: 'runpod', createdByTool: true, tag: 'cptest', pricePerHour: 0.34 });
    await provider().terminate(instance);
  });

  it('never leaves an unseen pod when POST answers 500 after creating it', async () => {
    fake.injectFault({ kind: 'create-500-after-create' });
    const progress: string[] = [];
    const instance = await provider().provision(request('cptest-500'), { onProgress: (event) => progress.push(event.message ?? '') });
    expect(fake.pods().map((pod) => pod.id)).toEqual([instance.id]);
    expect(fake.requests.filter((r) => r.method === 'POST' && r.path === '/v1/pods' && (r.body as { name?: string }).name === 'cptest-500')).toHaveLength(1);
    expect(progress.join('\n')).toMatch(/create call failed but the instance exists/);
    await provider().terminate(instance);
  });

  it('destroys a pod created just as the caller aborted, then reports the abort', async () => {
    const controller = new AbortController();
    const runpod = provider({
      fetch: async (url, init) => {
        const response = await fetch(url, init);
        if (init?.method === 'POST' && String(url).endsWith('/v1/pods')) {
          controller.abort();
          throw new DOMException('This operation was aborted', 'AbortError');
        }
        return response;
      },
    });
    const error = await runpod.provision(request('cptest-aborted'), { abortSignal: controller.signal }).catch((caught: unknown) => caught);
    expect(error).toMatchObject({ code: 'aborted' });
    expect(fake.requests.some((r) => r.method === 'DELETE' && r.path.startsWith('/v1/pods/'))).toBe(true);
    expect(fake.pods()).toEqual([]);
  });

  it('retries a create that failed before creating anything, and rents exactly one pod', async () => {
    fake.injectFault({ kind: 'server-error', method: 'POST', path: '/v1/pods', status: 502 });
    const instance = await provider().provision(request('cptest-502'));
    expect(fake.pods().map((pod) => pod.id)).toEqual([instance.id]);
    expect(fake.requests.filter((r) => r.method === 'POST' && r.path === '/v1/pods' && (r.body as { name?: string }).name === 'cptest-502')).toHaveLength(2);
    await provider().terminate(instance);
  });

  it('moves to the next cheapest offer when RunPod refuses one, and stops after maxOffersTried', async () => {
    fake.injectFault({ kind: 'server-error', method: 'POST', path: '/v1/pods', status: 400 });
    const progress: string[] = [];
    const instance = await provider().provision(request('cptest-soldout'), { onProgress: (event) => progress.push(event.message ?? '') });
    expect(instance.pricePerHour).toBe(0.32);
    const posts = fake.requests.filter((r) => r.method === 'POST' && (r.body as { name?: string }).name === 'cptest-soldout').map((r) => (r.body as { cloudType: string }).cloudType);
    expect(posts).toEqual(['COMMUNITY', 'SECURE']);
    expect(progress.join('\n')).toMatch(/offer NVIDIA RTX A4000\/COMMUNITY refused .*HTTP 400.*trying the next cheapest/);
    await provider().terminate(instance);
    fake.injectFault({ kind: 'server-error', method: 'POST', path: '/v1/pods', status: 400 });
    await expect(provider({ maxOffersTried: 1 }).provision(request('cptest-soldout-1'))).rejects.toMatchObject({ statusCode: 400, code: 'provider-api' });
    expect(fake.pods()).toEqual([]);
  });

  it('refuses a name already in use instead of renting a second pod', async () => {
    const first = await provider().provision(request('cptest-twice'));
    const error = await provider().provision(request('cptest-twice')).catch((caught: unknown) => caught);
    expect((error as ProviderError).code).toBe('name-taken');
    expect((error as Error).message).toMatch(/--use-existing cptest-twice/);
    expect(fake.pods()).toHaveLength(1);
    await provider().terminate(first);
  });

  it('stops at the deadline for a pod stuck without public IP, with a clear error; terminate still works', async () => {
    fake.injectFault({ kind: 'stuck-provisioning' });
    const runpod = provider();
    const instance = await runpod.provision(request('cptest-stuck'));
    try {
      const started = Date.now();
      const error = await runpod.waitReady(instance, { timeoutMs: 400, pollMs: 30 }).catch((caught: unknown) => caught);
      expect(Date.now() - started).toBeLessThan(3_000);
      expect(ProviderTimeoutError.isInstance(error)).toBe(true);
      expect((error as ProviderTimeoutError).instanceId).toBe(instance.id);
      expect((error as Error).message).toMatch(/not reachable over SSH after 400 ms \(last seen: RUNNING, no public IP yet\).*remote cleanup/);
    } finally {
      await runpod.terminate(instance);
    }
    expect(fake.pods()).toEqual([]);
  });

  it('stops waiting at once when the caller aborts (Ctrl-C), saying aborted rather than timed out', async () => {
    fake.injectFault({ kind: 'stuck-provisioning' });
    const runpod = provider();
    const instance = await runpod.provision(request('cptest-ctrl-c'));
    try {
      const controller = new AbortController();
      setTimeout(() => controller.abort(), 150);
      const started = Date.now();
      const error = await runpod.waitReady(instance, { timeoutMs: 30_000, pollMs: 20, abortSignal: controller.signal }).catch((caught: unknown) => caught);
      expect(error).toMatchObject({ code: 'aborted' });
      expect(Date.now() - started).toBeLessThan(2_000);
    } finally {
      await runpod.terminate(instance);
    }
  });

  it('waits while SSH refuses connections and succeeds once sshd answers', async () => {
    fake.setSshEndpoint({ host: '127.0.0.1', port: 1 });
    const runpod = provider();
    const instance = await runpod.provision(request('cptest-refused'));
    try {
      await expect(runpod.waitReady(instance, { timeoutMs: 300, pollMs: 20 })).rejects.toThrow(/SSH at 127\.0\.0\.1:1 not answering/);
      const ready = runpod.waitReady(instance, { timeoutMs: 10_000, pollMs: 20 });
      setTimeout(() => fake.setSshEndpoint(sshd), 200);
      expect(await ready).toEqual({ host: '127.0.0.1', port: sshd.port, username: 'root' });
    } finally {
      await runpod.terminate(instance);
    }
  });

  it('reports an exited or lost pod instead of waiting for it', async () => {
    const runpod = provider();
    const exited = await runpod.provision(request('cptest-exited'));
    fake.setPodStatus(exited.id, 'EXITED');
    await expect(runpod.waitReady(exited, { timeoutMs: 5_000, pollMs: 20 })).rejects.toThrow(/is EXITED/);
    await runpod.terminate(exited);
    const lost = await runpod.provision(request('cptest-lost'));
    fake.losePod(lost.id);
    await expect(runpod.waitReady(lost, { timeoutMs: 5_000, pollMs: 20 })).rejects.toThrow(/no longer exists/);
    await runpod.terminate(lost);
  });

  it('treats an unexpected list body as an error, never as "no pods"', async () => {
    fake.injectFault({ kind: 'unexpected-body', method: 'GET', path: '/v1/pods', body: { error: 'deprecated_endpoint' } });
    const error = await provider().list('cptest').catch((caught: unknown) => caught);
    expect((error as ProviderError).code).toBe('unexpected-response');
    expect((error as Error).message).toMatch(/deprecated_endpoint/);
  });

  it('turns GraphQL errors (HTTP 200 with errors[]) into an error', async () => {
    fake.injectFault({ kind: 'unexpected-body', path: '/graphql', body: { errors: [{ message: 'Something went wrong' }] } });
    await expect(provider().offers!(request('x'))).rejects.toThrow(/gpuTypes query failed: Something went wrong/);
  });

  it('waits the Retry-After of a 429 on an idempotent call', async () => {
    fake.injectFault({ kind: 'rate-limit', method: 'GET', path: '/v1/pods', retryAfterSeconds: 1 });
    const retries: Array<{ delayMs: number; statusCode?: number }> = [];
    const started = Date.now();
    expect(await provider({ maxRetryDelayMs: 5_000, onRetry: (info) => retries.push(info) }).list('cptest')).toEqual([]);
    expect(retries).toEqual([expect.objectContaining({ delayMs: 1_000, statusCode: 429 })]);
    expect(Date.now() - started).toBeGreaterThanOrEqual(950);
  });

  it('gives up after its retries with a retryable error', async () => {
    fake.injectFault({ kind: 'server-error', method: 'GET', path: '/v1/pods', times: 10 });
    const error = await provider({ maxRetries: 2 }).list('cptest').catch((caught: unknown) => caught);
    expect(error).toMatchObject({ statusCode: 503, isRetryable: true, code: 'provider-api' });
    expect(fake.requests.filter((r) => r.method === 'GET' && r.path === '/v1/pods').length).toBeGreaterThanOrEqual(3);
  });

  it('refuses a bad key without putting the key in the message', async () => {
    const secret = 'rpa_SECRET_do_not_print_1234567890';
    const error = await provider({ apiKey: secret }).list('cptest').catch((caught: unknown) => caught);
    expect(ProviderError.isInstance(error)).toBe(true);
    expect(CorpusProximityError.isInstance(error)).toBe(true);
    expect(error).toMatchObject({ code: 'authentication', statusCode: 401, isRetryable: false });
    expect((error as Error).message).toMatch(/RUNPOD_API_KEY/);
    expect(`${(error as Error).message} ${(error as Error).stack}`).not.toContain(secret);
  });

  it('removes the key from a server message that echoes it', async () => {
    fake.injectFault({ kind: 'unexpected-body', method: 'GET', path: '/v1/pods', status: 400, body: { error: `bad request for key ${fake.apiKey}` } });
    const error = await provider().list('cptest').catch((caught: unknown) => caught);
    expect((error as Error).message).toMatch(/\[redacted\]/);
    expect((error as Error).message).not.toContain(fake.apiKey);
  });

  it('terminates idempotently, and find by name or id sees only live pods', async () => {
    const runpod = provider();
    const instance = await runpod.provision(request('cptest-find'));
    expect((await runpod.find('cptest-find'))?.id).toBe(instance.id);
    expect((await runpod.find(instance.id))?.createdByTool).toBe(true);
    await runpod.terminate(instance);
    await runpod.terminate(instance);
    expect(await runpod.find(instance.id)).toBeUndefined();
  });
});
