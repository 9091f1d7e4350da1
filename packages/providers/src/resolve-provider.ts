import type { GpuProviderV1 } from './gpu-provider-spec.js';
import { ProviderError } from './provider-error.js';
import { createRunPodProvider, type RunPodProviderSettings } from './runpod/create-runpod-provider.js';
import { createSshProvider, type SshProviderSettings } from './ssh/create-ssh-provider.js';
import { createVastProvider, type VastProviderSettings } from './vast/create-vast-provider.js';

/** Names of the built-in providers. */
export type BuiltInProviderName = 'runpod' | 'vast' | 'ssh';

/** Makes a provider from its settings; what a registry maps names to. */
export type GpuProviderFactory = (settings?: Record<string, unknown>) => GpuProviderV1;

/** Settings for `resolveProvider`: per built-in provider, plus a registry of your own. */
export interface ResolveProviderSettings {
  runpod?: RunPodProviderSettings;
  vast?: VastProviderSettings;
  ssh?: SshProviderSettings;
  /** Your own providers by name (they may also replace a built-in one). */
  providers?: Record<string, GpuProviderFactory>;
  /** Settings handed to a provider from `providers`, by name. */
  settings?: Record<string, Record<string, unknown>>;
}

/** The built-in providers by name. */
export const builtInProviders: Readonly<Record<BuiltInProviderName, GpuProviderFactory>> = {
  runpod: (settings) => createRunPodProvider(settings as RunPodProviderSettings),
  vast: (settings) => createVastProvider(settings as VastProviderSettings),
  ssh: (settings) => createSshProvider(settings as SshProviderSettings),
};

/**
 * The provider for `--provider NAME` (no I/O): a built-in one or one from `settings.providers`.
 * A provider object is checked and passed through. Throws a ProviderError naming the known providers.
 */
export function resolveProvider(nameOrProvider: string | GpuProviderV1, settings: ResolveProviderSettings = {}): GpuProviderV1 {
  if (typeof nameOrProvider === 'object' && nameOrProvider !== null) return checkProvider(nameOrProvider, 'the given provider');
  const name = String(nameOrProvider).trim().toLowerCase();
  const own = settings.providers?.[name];
  if (own) return checkProvider(own(settings.settings?.[name]), `provider "${name}"`);
  if (name === 'runpod' || name === 'vast' || name === 'ssh') return builtInProviders[name](settings[name] as Record<string, unknown> | undefined);
  const known = [...new Set([...Object.keys(builtInProviders), ...Object.keys(settings.providers ?? {})])].join(', ');
  throw new ProviderError('unknown-provider', `unknown provider "${nameOrProvider}"; use one of ${known}`, { providerId: String(nameOrProvider) });
}

/** Checks an object is a provider of a spec version this package knows. */
function checkProvider(provider: GpuProviderV1, what: string): GpuProviderV1 {
  const version = (provider as { specificationVersion?: unknown } | undefined)?.specificationVersion;
  if (version !== 'gpu-provider-v1') {
    throw new ProviderError(
      'unknown-provider',
      `${what} has specificationVersion ${JSON.stringify(version)}; this version of @corpus-proximity/providers knows "gpu-provider-v1" (update the package or the provider)`,
      { providerId: String((provider as { providerId?: unknown } | undefined)?.providerId ?? 'unknown') },
    );
  }
  for (const method of ['provision', 'find', 'list', 'waitReady', 'terminate'] as const) {
    if (typeof provider[method] !== 'function') {
      throw new ProviderError('unknown-provider', `${what} (${provider.providerId}) has no ${method}() method; a GpuProviderV1 needs provision, find, list, waitReady and terminate`, {
        providerId: provider.providerId,
      });
    }
  }
  return provider;
}
