import type { GpuInstance, GpuProviderV1, SshEndpoint } from '@corpus-proximity/providers';
import { UsageError } from './usage-error.js';

/** Settings a provider is built from on the command line. */
export interface CliProviderSettings {
  /** `--use-existing` (for the ssh provider: user@host[:port]). */
  useExisting?: string;
}

/**
 * The provider a `--provider` name stands for. Uses the providers package's resolveProvider() when it
 * has one (RunPod, Vast, SSH plugins); until then 'ssh' is the small adapter below.
 */
export async function resolveCliProvider(name: string, settings: CliProviderSettings = {}): Promise<GpuProviderV1> {
  const module = (await import('@corpus-proximity/providers')) as unknown as Record<string, unknown>;
  const resolveProvider = module.resolveProvider as ((name: string, settings: object) => GpuProviderV1 | Promise<GpuProviderV1>) | undefined;
  if (typeof resolveProvider === 'function') return resolveProvider(name, settings);
  if (name === 'ssh') return createSshTargetProvider();
  throw new UsageError(`--provider ${name}: unknown or not available in this build; available: ssh (an existing host, with --use-existing user@host[:port])`);
}

/** Parses user@host[:port] (port 22 by default); undefined when it is not of that form. */
export function parseSshTarget(target: string): SshEndpoint | undefined {
  const match = /^([A-Za-z0-9._-]+)@(\[[0-9A-Fa-f:]+\]|[A-Za-z0-9._-]+)(?::(\d{1,5}))?$/.exec(target);
  if (!match) return undefined;
  const port = match[3] === undefined ? 22 : Number(match[3]);
  if (port < 1 || port > 65535) return undefined;
  return { username: match[1]!, host: match[2]!.replace(/^\[|\]$/g, ''), port };
}

/** An existing SSH host as a provider: nothing to rent, nothing ever destroyed. */
export function createSshTargetProvider(): GpuProviderV1 {
  const instanceOf = (target: string): GpuInstance | undefined =>
    parseSshTarget(target) ? { providerId: 'ssh', id: target, name: target, status: 'RUNNING', createdByTool: false } : undefined;
  return {
    specificationVersion: 'gpu-provider-v1',
    providerId: 'ssh',
    async provision() {
      throw new UsageError('--provider ssh rents nothing: give the host with --use-existing user@host[:port]');
    },
    async find(nameOrId) {
      return instanceOf(nameOrId);
    },
    async list() {
      return [];
    },
    async waitReady(instance) {
      const endpoint = parseSshTarget(instance.id);
      if (!endpoint) throw new UsageError(`${instance.id}: not user@host[:port]`);
      return endpoint;
    },
    async terminate() {
      // An existing host is never destroyed.
    },
  };
}
