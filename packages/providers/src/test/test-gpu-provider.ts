import { randomBytes } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import type { GpuProviderV1, GpuRequest } from '../gpu-provider-spec.js';

/** Options of the provider conformance suite. */
export interface TestGpuProviderOptions {
  /** A request the provider can fill; `name` and `tag` are set per test. */
  request?: Partial<Omit<GpuRequest, 'name' | 'tag'>>;
  /** For a provider that rents nothing (SSH): a target `find` resolves, e.g. "root@127.0.0.1:2222". Replaces the renting tests. */
  existing?: string | (() => string);
  /** Deadline of waitReady in the lifecycle tests (default 30 s). */
  readyTimeoutMs?: number;
  /** Poll interval passed to waitReady (default 50 ms). */
  pollMs?: number;
  /** Makes the next instance never become ready (a fake's stuck-provisioning fault); enables the deadline test. */
  makeNextInstanceStuck?: () => void | Promise<void>;
}

/** The request the suite rents with unless told otherwise. */
export const conformanceGpuRequest: Omit<GpuRequest, 'name' | 'tag'> = {
  gpuCount: 1,
  image: 'ubuntu:22.04',
  diskGb: 20,
  sshPublicKey: 'ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIGNvbmZvcm1hbmNlLXN1aXRlLWtleS1ub3QtdXNlZA conformance@corpus-proximity',
};

/**
 * Conformance suite every GPU provider runs (vitest): provision → find by name and id → list by tag →
 * waitReady gives an endpoint → terminate → list empty; terminate idempotent; deadlines and aborts
 * respected. After every test no instance with the suite's tag is left (checked by listing).
 */
export function testGpuProvider(name: string, create: () => GpuProviderV1 | Promise<GpuProviderV1>, options: TestGpuProviderOptions = {}): void {
  const tag = `cpconf-${randomBytes(4).toString('hex')}`;
  const readyTimeoutMs = options.readyTimeoutMs ?? 30_000;
  const pollMs = options.pollMs ?? 50;
  let counter = 0;
  const request = (): GpuRequest => ({ ...conformanceGpuRequest, ...options.request, name: `${tag}-${++counter}`, tag });

  describe(`gpu provider conformance: ${name}`, () => {
    afterEach(async () => {
      const provider = await create();
      const left = await provider.list(tag);
      for (const instance of left) await provider.terminate(instance);
      expect(left.map((instance) => instance.id), 'instances left after the test (terminated now)').toEqual([]);
      expect(await provider.list(tag)).toEqual([]);
    });

    it('declares the gpu-provider-v1 spec', async () => {
      const provider = await create();
      expect(provider.specificationVersion).toBe('gpu-provider-v1');
      expect(provider.providerId).toMatch(/^\S+$/);
      for (const method of ['provision', 'find', 'list', 'waitReady', 'terminate'] as const) expect(typeof provider[method]).toBe('function');
    });

    it('refuses a waitReady whose signal is already aborted', async () => {
      const provider = await create();
      const instance = options.existing !== undefined ? await provider.find(target(options.existing)) : await provider.provision(request());
      expect(instance).toBeDefined();
      try {
        const aborted = new AbortController();
        aborted.abort();
        await expect(provider.waitReady(instance!, { timeoutMs: readyTimeoutMs, pollMs, abortSignal: aborted.signal })).rejects.toThrow(/abort/i);
      } finally {
        if (instance!.createdByTool) await provider.terminate(instance!);
      }
    });

    if (options.existing !== undefined) {
      const existing = options.existing;
      it('finds the existing host, reaches it, and never destroys it', async () => {
        const provider = await create();
        const instance = await provider.find(target(existing));
        expect(instance?.createdByTool).toBe(false);
        expect(instance?.providerId).toBe(provider.providerId);
        expect((await provider.find(instance!.id))?.id).toBe(instance!.id);
        const endpoint = await provider.waitReady(instance!, { timeoutMs: readyTimeoutMs, pollMs });
        expectEndpoint(endpoint);
        await provider.terminate(instance!);
        await provider.terminate(instance!);
        expect(await provider.waitReady(instance!, { timeoutMs: readyTimeoutMs, pollMs })).toEqual(endpoint);
        expect(await provider.list(tag)).toEqual([]);
      });

      it('refuses to provision, saying what to do instead', async () => {
        const provider = await create();
        await expect(provider.provision(request())).rejects.toThrow(/--use-existing|existing/);
      });
      return;
    }

    it('provisions, finds by name and id, lists by tag, gets ready, and terminates', async () => {
      const provider = await create();
      const wanted = request();
      const instance = await provider.provision(wanted);
      try {
        expect(instance.providerId).toBe(provider.providerId);
        expect(instance.id).toMatch(/\S/);
        expect(instance.name).toBe(wanted.name);
        expect(instance.createdByTool).toBe(true);
        expect((await provider.find(wanted.name))?.id).toBe(instance.id);
        expect((await provider.find(instance.id))?.name).toBe(wanted.name);
        expect((await provider.list(tag)).map((found) => found.id)).toEqual([instance.id]);
        expectEndpoint(await provider.waitReady(instance, { timeoutMs: readyTimeoutMs, pollMs }));
      } finally {
        await provider.terminate(instance);
      }
      expect(await provider.list(tag)).toEqual([]);
      expect(await provider.find(instance.id)).toBeUndefined();
    });

    it('finds nothing for a name no instance has', async () => {
      const provider = await create();
      expect(await provider.find(`${tag}-no-such-instance`)).toBeUndefined();
    });

    it('terminates idempotently', async () => {
      const provider = await create();
      const instance = await provider.provision(request());
      await provider.terminate(instance);
      await provider.terminate(instance);
      expect(await provider.list(tag)).toEqual([]);
    });

    if (options.makeNextInstanceStuck) {
      const makeStuck = options.makeNextInstanceStuck;
      it('gives up waiting at the deadline, and the stuck instance can be terminated', async () => {
        const provider = await create();
        await makeStuck();
        const instance = await provider.provision(request());
        const timeoutMs = 600;
        const started = Date.now();
        try {
          await expect(provider.waitReady(instance, { timeoutMs, pollMs })).rejects.toThrow(new RegExp(`${instance.id}[\\s\\S]*${timeoutMs} ms|${timeoutMs} ms[\\s\\S]*${instance.id}`));
          expect(Date.now() - started).toBeLessThan(timeoutMs + 5_000);
        } finally {
          await provider.terminate(instance);
        }
        expect(await provider.list(tag)).toEqual([]);
      });
    }
  });
}

function target(existing: string | (() => string)): string {
  return typeof existing === 'function' ? existing() : existing;
}

function expectEndpoint(endpoint: { host: string; port: number; username: string }): void {
  expect(endpoint.host).toMatch(/\S/);
  expect(Number.isInteger(endpoint.port) && endpoint.port >= 1 && endpoint.port <= 65_535).toBe(true);
  expect(endpoint.username).toMatch(/\S/);
}
