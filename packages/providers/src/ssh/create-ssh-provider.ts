import type { GpuProviderV1 } from '../gpu-provider-spec.js';
import { probeSsh } from '../http/probe-ssh.js';
import { waitUntil } from '../http/wait-until.js';
import { ProviderError } from '../provider-error.js';
import { formatSshTarget, parseSshTarget } from './parse-ssh-target.js';

/** Settings of the SSH provider; all optional. */
export interface SshProviderSettings {
  /** User when the target gives none (default "root"). */
  username?: string;
  /** Port when the target gives none (default 22). */
  port?: number;
  /** Poll interval of waitReady when the caller gives none (default 2 s). */
  pollMs?: number;
  /** Limit on one reachability probe (default 5 s). */
  sshProbeTimeoutMs?: number;
}

/**
 * An existing machine reached over SSH (`user@host[:port]`): nothing to rent and nothing to destroy.
 * `find` parses the target, `waitReady` waits for its SSH banner, `terminate` leaves it running.
 */
export function createSshProvider(settings: SshProviderSettings = {}): GpuProviderV1 {
  const parse = (target: string) => parseSshTarget(target, { username: settings.username ?? 'root', port: settings.port });
  return {
    specificationVersion: 'gpu-provider-v1',
    providerId: 'ssh',

    async provision(request) {
      throw new ProviderError(
        'not-supported',
        `ssh: cannot rent ${request.name}: the SSH provider only uses a machine you already have; pass --use-existing user@host[:port], or choose --provider runpod or vast`,
        { providerId: 'ssh' },
      );
    },

    async find(nameOrId) {
      const target = parse(nameOrId);
      const id = formatSshTarget(target);
      return { providerId: 'ssh', id, name: id, status: 'existing', createdByTool: false };
    },

    async list() {
      // This provider creates nothing, so nothing carries a tag.
      return [];
    },

    async waitReady(instance, options) {
      const target = parse(instance.id);
      return waitUntil(
        async (signal) => ((await probeSsh(target.host, target.port, settings.sshProbeTimeoutMs ?? 5_000, signal)) ? target : undefined),
        {
          ...options,
          pollMs: options.pollMs ?? settings.pollMs ?? 2_000,
          providerId: 'ssh',
          instanceId: instance.id,
          timeoutMessage: () =>
            `ssh: ${instance.id} did not answer with an SSH banner within ${options.timeoutMs} ms; check the host is up, sshd runs on port ${target.port}, and no firewall blocks it`,
        },
      );
    },

    async terminate(instance, options) {
      // Never destroys: the machine is the user's.
      options?.onProgress?.({ stage: 'terminate', done: 1, total: 1, message: `ssh: ${instance.id} is an existing machine; left running (nothing to destroy)` });
    },
  };
}
