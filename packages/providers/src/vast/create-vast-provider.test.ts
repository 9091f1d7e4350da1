import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { MissingApiKeyError, NoOfferError, ProviderError, ProviderTimeoutError } from '../provider-error.js';
import { conformanceGpuRequest, startFakeVast, type FakeVast } from '../test/index.js';
import { startLocalSshd, type LocalSshd } from '../test-support/start-local-sshd.js';
import { createVastProvider, type VastProviderSettings } from './create-vast-provider.js';

let sshd: LocalSshd;
let fake: FakeVast;
const fast = { pollMs: 20, minRetryDelayMs: 5, maxRetryDelayMs: 50, sshProbeTimeoutMs: 2_000 };
const provider = (settings: VastProviderSettings = {}) => createVastProvider({ ...fake.settings, ...fast, ...settings });
const request = (name: string, extra: Partial<{ gpuType: string; minVramGb: number; minRamGb: number; maxPricePerHour: number; gpuCount: number }> = {}) => ({
  ...conformanceGpuRequest,
  name,
  tag: 'cptest',
  ...extra,
});

beforeAll(async () => {
  sshd = await startLocalSshd();
  fake = await startFakeVast({ ssh: sshd });
});
afterEach(async () => {
  fake.clearFaults();
  const left = await provider().list('cptest');
  for (const instance of left) await provider().terminate(instance);
  expect(left.map((instance) => instance.name)).toEqual([]);
  expect(fake.instances()).toEqual([]);
});
afterAll(async () => {
  await Promise.all([fake.close(), sshd.close()]);
});

describe('createVastProvider', () => {
  it('does no I/O when created and names VAST_API_KEY when no key is set', async () => {
    let calls = 0;
    const saved = process.env.VAST_API_KEY;
    delete process.env.VAST_API_KEY;
    try {
      const vast = createVastProvider({ baseURL: fake.settings.baseURL, fetch: async () => (calls++, new Response('{}')) });
      const error = await vast.provision(request('x')).catch((caught: unknown) => caught);
      expect(MissingApiKeyError.isInstance(error)).toBe(true);
      expect((error as Error).message).toMatch(/VAST_API_KEY/);
      expect(calls).toBe(0);
    } finally {
      if (saved !== undefined) process.env.VAST_API_KEY = saved;
    }
  });

  it('searches with Vast filter units and takes the cheapest verified, reliable ask that fits', async () => {
    const vast = provider();
    expect((await vast.offers!(request('x')))[0]).toMatchObject({ id: '5001', gpuType: 'RTX 3090', pricePerHour: 0.21 });
    expect((await vast.offers!(request('x', { gpuType: 'RTX 4090' }))).map((offer) => offer.id)).toEqual(['5002']);
    expect((await provider({ verifiedOnly: false, minReliability: 0.8 }).offers!(request('x', { gpuType: '4090' }))).map((offer) => offer.id)).toEqual(['5003', '5002']);
    expect((await vast.offers!(request('x', { minVramGb: 40 }))).map((offer) => offer.id)).toEqual(['5004']);
    expect((await vast.offers!(request('x', { gpuType: 'h100', gpuCount: 2 }))).map((offer) => offer.pricePerHour)).toEqual([4.6]);
    const search = fake.requests.filter((r) => r.path === '/api/v0/bundles/').at(-1)!.body as Record<string, unknown>;
    expect(search).toMatchObject({ num_gpus: { eq: 2 }, disk_space: { gte: 20 }, rentable: { eq: true }, verified: { eq: true }, order: [['dph_total', 'asc']] });
    await vast.offers!(request('x', { minVramGb: 40, minRamGb: 64, maxPricePerHour: 2 }));
    expect(fake.requests.filter((r) => r.path === '/api/v0/bundles/').at(-1)!.body).toMatchObject({
      gpu_ram: { gte: 40_960 },
      cpu_ram: { gte: 65_536 },
      dph_total: { lte: 2 },
    });
  });

  it('says what to loosen when nothing fits', async () => {
    const error = await provider().provision(request('cptest-none', { gpuType: 'A100', maxPricePerHour: 0.5 })).catch((caught: unknown) => caught);
    expect(NoOfferError.isInstance(error)).toBe(true);
    expect((error as Error).message).toMatch(/GPU type "A100".*≤ \$0\.5\/h.*raise --max-price/);
  });

  it('creates an ssh_direct instance labelled with the tagged name, installing the key on start', async () => {
    const instance = await provider().provision(request('labelled', { gpuType: '4090' }));
    expect(instance).toMatchObject({ providerId: 'vast', name: 'cptest-labelled', tag: 'cptest', createdByTool: true, gpuType: 'RTX 4090', pricePerHour: 0.38 });
    const create = fake.requests.find((r) => r.method === 'PUT' && r.path === '/api/v0/asks/5002/')!.body as Record<string, unknown>;
    expect(create).toMatchObject({ runtype: 'ssh_direct', label: 'cptest-labelled', disk: 20, image: 'ubuntu:22.04', env: { CORPUS_PROXIMITY_TAG: 'cptest' } });
    expect(create.onstart).toContain(`'${conformanceGpuRequest.sshPublicKey}' >> ~/.ssh/authorized_keys`);
    expect(await provider().waitReady(instance, { timeoutMs: 10_000, pollMs: 20 })).toEqual({ host: '127.0.0.1', port: sshd.port, username: 'root' });
    await provider().terminate(instance);
  });

  it('refuses a public key that is not one OpenSSH line (it goes into a shell script)', async () => {
    const error = await provider().provision({ ...request('cptest-badkey'), sshPublicKey: "ssh-ed25519 AAAA'; rm -rf / #" }).catch((caught: unknown) => caught);
    expect((error as ProviderError).code).toBe('invalid-request');
    expect(fake.requests.some((r) => r.method === 'PUT' && (r.body as { label?: string }).label === 'cptest-badkey')).toBe(false);
  });

  it('never leaves an unseen instance when create answers 500 after creating it', async () => {
    fake.injectFault({ kind: 'create-500-after-create' });
    const instance = await provider().provision(request('cptest-500'));
    expect(fake.instances().map((created) => String(created.id))).toEqual([instance.id]);
    expect(fake.requests.filter((r) => r.method === 'PUT' && (r.body as { label?: string }).label === 'cptest-500')).toHaveLength(1);
    await provider().terminate(instance);
  });

  it('moves to the next cheapest ask when one was taken since the search', async () => {
    fake.injectFault({ kind: 'server-error', method: 'PUT', path: '/api/v0/asks/5001/', status: 400 });
    const instance = await provider().provision(request('cptest-taken'));
    expect(instance).toMatchObject({ gpuType: 'RTX 4090', pricePerHour: 0.38 });
    expect(fake.requests.filter((r) => r.method === 'PUT' && (r.body as { label?: string }).label === 'cptest-taken').map((r) => r.path)).toEqual([
      '/api/v0/asks/5001/',
      '/api/v0/asks/5002/',
    ]);
    await provider().terminate(instance);
  });

  it('stops at the deadline for an instance stuck loading; terminate still works', async () => {
    fake.injectFault({ kind: 'stuck-provisioning' });
    const vast = provider();
    const instance = await vast.provision(request('cptest-stuck'));
    try {
      const error = await vast.waitReady(instance, { timeoutMs: 400, pollMs: 30 }).catch((caught: unknown) => caught);
      expect(ProviderTimeoutError.isInstance(error)).toBe(true);
      expect((error as Error).message).toMatch(new RegExp(`instance ${instance.id} .*after 400 ms \\(last seen: loading\\)`));
    } finally {
      await vast.terminate(instance);
    }
  });

  it('reports an exited instance instead of waiting for it', async () => {
    const vast = provider();
    const instance = await vast.provision(request('cptest-exited'));
    fake.setInstanceStatus(instance.id, 'exited');
    await expect(vast.waitReady(instance, { timeoutMs: 5_000, pollMs: 20 })).rejects.toThrow(/is exited; destroy it/);
    await vast.terminate(instance);
  });

  it('treats deprecated_endpoint from the list call as an error, never as "no instances"', async () => {
    const vast = provider();
    const instance = await vast.provision(request('cptest-listed'));
    fake.injectFault({ kind: 'unexpected-body', method: 'GET', path: '/api/v0/instances/', body: { success: false, error: 'deprecated_endpoint' } });
    const error = await vast.list('cptest').catch((caught: unknown) => caught);
    expect((error as ProviderError).code).toBe('unexpected-response');
    expect((error as Error).message).toMatch(/deprecated_endpoint/);
    expect((await vast.list('cptest')).map((found) => found.id)).toEqual([instance.id]);
    await vast.terminate(instance);
  });

  it('refuses a bad key without the key in the message', async () => {
    const secret = 'vast_SECRET_never_print_abcdef123456';
    const error = await provider({ apiKey: secret }).list('cptest').catch((caught: unknown) => caught);
    expect(error).toMatchObject({ code: 'authentication', statusCode: 401, providerId: 'vast' });
    expect((error as Error).message).toMatch(/VAST_API_KEY/);
    expect(`${(error as Error).message} ${(error as Error).stack}`).not.toContain(secret);
  });

  it('terminates idempotently (404 on an instance already gone is fine)', async () => {
    const vast = provider();
    const instance = await vast.provision(request('cptest-gone'));
    fake.loseInstance(instance.id);
    await vast.terminate(instance);
    await vast.terminate(instance);
    expect(await vast.find(instance.id)).toBeUndefined();
  });
});
