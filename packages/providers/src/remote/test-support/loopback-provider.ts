import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, rmSync } from 'node:fs';
import { tmuxSessionName } from '../remote-layout.js';
import type { GpuInstance, GpuProviderV1 } from '../../gpu-provider-spec.js';
import type { TestSshd } from './start-test-sshd.js';

/** A custom GpuProviderV1 (an object literal) that "rents" the local test sshd; terminating kills the run's tmux sessions and wipes the remote root, as losing a machine would. */
export function createLoopbackProvider(sshd: TestSshd, options: { remoteRoot?: string } = {}): GpuProviderV1 & { created: number } {
  const instances = new Map<string, GpuInstance>();
  let counter = 0;
  const provider = {
    specificationVersion: 'gpu-provider-v1' as const,
    providerId: 'loopback',
    created: 0,
    async provision(request: Parameters<GpuProviderV1['provision']>[0], call?: { abortSignal?: AbortSignal }) {
      const instance: GpuInstance = { providerId: 'loopback', id: `lb-${++counter}`, name: request.name, tag: request.tag, status: 'RUNNING', createdByTool: true };
      instances.set(instance.id, instance);
      provider.created++;
      if (call?.abortSignal?.aborted) {
        instances.delete(instance.id);
        throw new Error('cancelled');
      }
      return instance;
    },
    async find(nameOrId: string) {
      return [...instances.values()].find((instance) => instance.id === nameOrId || instance.name === nameOrId);
    },
    async list(tag: string) {
      return [...instances.values()].filter((instance) => instance.tag === tag);
    },
    async waitReady() {
      return { host: sshd.host, port: sshd.port, username: sshd.username };
    },
    async terminate(instance: GpuInstance) {
      instances.delete(instance.id);
      if (options.remoteRoot === undefined) return;
      // Only this provider's runs: the sessions of the run folders under its remote root.
      for (const runId of existsSync(`${options.remoteRoot}/runs`) ? readdirSync(`${options.remoteRoot}/runs`) : []) spawnSync('tmux', ['kill-session', '-t', tmuxSessionName(runId)]);
      rmSync(`${options.remoteRoot}/runs`, { recursive: true, force: true });
    },
  };
  return provider;
}
