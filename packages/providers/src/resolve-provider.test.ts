import { describe, expect, it } from 'vitest';
import type { GpuProviderV1 } from './gpu-provider-spec.js';
import { ProviderError } from './provider-error.js';
import { builtInProviders, resolveProvider } from './resolve-provider.js';

const custom: GpuProviderV1 = {
  specificationVersion: 'gpu-provider-v1',
  providerId: 'mycloud',
  provision: async () => {
    throw new Error('not in this test');
  },
  find: async () => undefined,
  list: async () => [],
  waitReady: async () => ({ host: 'h', port: 22, username: 'u' }),
  terminate: async () => undefined,
};

describe('resolveProvider', () => {
  it('makes the built-in providers by name, without I/O, passing their settings', () => {
    expect(Object.keys(builtInProviders)).toEqual(['runpod', 'vast', 'ssh']);
    expect(resolveProvider('runpod').providerId).toBe('runpod');
    expect(resolveProvider('Vast').providerId).toBe('vast');
    expect(resolveProvider('ssh', { ssh: { username: 'ubuntu' } }).providerId).toBe('ssh');
  });

  it('passes the SSH settings through (the default user comes from them)', async () => {
    expect((await resolveProvider('ssh', { ssh: { username: 'ubuntu' } }).find('gpu-box'))?.id).toBe('ubuntu@gpu-box:22');
  });

  it('takes users\' own providers from the registry, and a provider object as is', () => {
    let given: unknown;
    const made = resolveProvider('mycloud', {
      providers: { mycloud: (settings) => ((given = settings), custom) },
      settings: { mycloud: { region: 'eu' } },
    });
    expect(made).toBe(custom);
    expect(given).toEqual({ region: 'eu' });
    expect(resolveProvider(custom)).toBe(custom);
  });

  it('names the known providers for an unknown name', () => {
    const error = (() => {
      try {
        resolveProvider('lambda', { providers: { mycloud: () => custom } });
      } catch (caught) {
        return caught;
      }
    })();
    expect(ProviderError.isInstance(error)).toBe(true);
    expect((error as Error).message).toBe('unknown provider "lambda"; use one of runpod, vast, ssh, mycloud');
  });

  it('refuses a provider of an unknown spec version or missing a method', () => {
    expect(() => resolveProvider({ ...custom, specificationVersion: 'gpu-provider-v9' } as unknown as GpuProviderV1)).toThrow(/"gpu-provider-v9".*knows "gpu-provider-v1"/);
    const { terminate: _terminate, ...noTerminate } = custom;
    expect(() => resolveProvider(noTerminate as unknown as GpuProviderV1)).toThrow(/no terminate\(\) method/);
  });
});
