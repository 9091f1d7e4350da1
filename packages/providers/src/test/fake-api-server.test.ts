import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFakeRunPod, startFakeVast, type FakeRunPod, type FakeVast } from './fake-servers.js';

let runpod: FakeRunPod;
let vast: FakeVast;
const call = (url: string, key: string, init: { method?: string; body?: unknown } = {}) =>
  fetch(url, {
    method: init.method ?? 'GET',
    headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
    body: init.body === undefined ? undefined : JSON.stringify(init.body),
  });

beforeAll(async () => {
  runpod = await startFakeRunPod({ ssh: { host: '127.0.0.1', port: 2222 }, readyAfterPolls: 1 });
  vast = await startFakeVast({ ssh: { host: '127.0.0.1', port: 2223 } });
});
afterAll(async () => {
  await Promise.all([runpod.close(), vast.close()]);
});

describe('fake provider servers', () => {
  it('refuse any other key, and never record the Authorization header', async () => {
    expect((await call(`${runpod.url}/v1/pods`, 'wrong')).status).toBe(401);
    expect((await call(`${runpod.url}/v1/pods`, runpod.apiKey)).status).toBe(200);
    expect(JSON.stringify(runpod.requests)).not.toContain(runpod.apiKey);
  });

  it('apply a fault to as many matching requests as `times` says, then answer normally', async () => {
    runpod.injectFault({ kind: 'auth-failure', path: '/v1/pods', times: 2 });
    runpod.injectFault({ kind: 'rate-limit', path: '/graphql', retryAfterSeconds: 7 });
    const statuses = [];
    for (let i = 0; i < 3; i++) statuses.push((await call(`${runpod.url}/v1/pods`, runpod.apiKey)).status);
    expect(statuses).toEqual([401, 401, 200]);
    const limited = await call(`${runpod.url}/graphql`, runpod.apiKey, { method: 'POST', body: { query: '{ gpuTypes { id } }' } });
    expect([limited.status, limited.headers.get('retry-after')]).toEqual([429, '7']);
    vast.injectFault({ kind: 'unexpected-body', path: '/api/v0/instances/' });
    expect(await (await call(`${vast.url}/api/v0/instances/`, vast.apiKey)).json()).toEqual({ error: 'deprecated_endpoint', msg: 'this endpoint is deprecated' });
    expect(await (await call(`${vast.url}/api/v0/instances/`, vast.apiKey)).json()).toEqual({ instances: [] });
  });

  it('RunPod: a pod starts without public IP, then shows the configured SSH endpoint', async () => {
    const created = await call(`${runpod.url}/v1/pods`, runpod.apiKey, {
      method: 'POST',
      body: { name: 'p', imageName: 'img', gpuTypeIds: ['NVIDIA GeForce RTX 4090'], gpuCount: 2, cloudType: 'COMMUNITY', ports: ['22/tcp'], supportPublicIp: true },
    });
    const pod = (await created.json()) as { id: string; costPerHr: number; publicIp: string };
    expect([created.status, pod.costPerHr, pod.publicIp]).toEqual([201, 0.68, '']);
    const first = (await (await call(`${runpod.url}/v1/pods/${pod.id}`, runpod.apiKey)).json()) as { publicIp: string };
    const second = (await (await call(`${runpod.url}/v1/pods/${pod.id}`, runpod.apiKey)).json()) as { publicIp: string; portMappings: Record<string, number> };
    expect(first.publicIp).toBe('');
    expect([second.publicIp, second.portMappings]).toEqual(['127.0.0.1', { '22': 2222 }]);
    expect((await call(`${runpod.url}/v1/pods/${pod.id}`, runpod.apiKey, { method: 'DELETE' })).status).toBe(204);
    expect((await call(`${runpod.url}/v1/pods/${pod.id}`, runpod.apiKey)).status).toBe(404);
  });

  it('Vast: a rented ask leaves the search until the instance is destroyed; status goes null → loading → running', async () => {
    const search = async () => ((await (await call(`${vast.url}/api/v0/bundles/`, vast.apiKey, { method: 'POST', body: { num_gpus: { eq: 1 } } })).json()) as { offers: Array<{ id: number }> }).offers.map((o) => o.id);
    expect(await search()).toEqual([5001, 5003, 5002, 5004]);
    const created = (await (await call(`${vast.url}/api/v0/asks/5001/`, vast.apiKey, { method: 'PUT', body: { image: 'img', disk: 20, label: 'v', runtype: 'ssh_direct' } })).json()) as { new_contract: number };
    expect(await search()).toEqual([5003, 5002, 5004]);
    const show = async () => ((await (await call(`${vast.url}/api/v0/instances/${created.new_contract}/`, vast.apiKey)).json()) as { instances: { actual_status: string | null; ports: unknown } }).instances;
    expect((await vast.instances())[0]?.actual_status).toBeNull();
    expect((await show()).actual_status).toBe('loading');
    const running = await show();
    expect([running.actual_status, running.ports]).toEqual(['running', { '22/tcp': [{ HostIp: '0.0.0.0', HostPort: '2223' }] }]);
    expect(await (await call(`${vast.url}/api/v0/instances/${created.new_contract}/`, vast.apiKey, { method: 'DELETE' })).json()).toEqual({ success: true });
    expect(await search()).toEqual([5001, 5003, 5002, 5004]);
  });
});
