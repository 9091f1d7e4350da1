import type { GpuInstance, SshEndpoint } from '../gpu-provider-spec.js';
import { unexpected } from '../http/create-api-client.js';
import { hasTagPrefix, TAG_ENV } from '../instance-tags.js';

/** The fields of a Vast instance this provider reads. */
export interface VastInstance {
  id: number;
  label?: string | null;
  actual_status?: string | null;
  intended_status?: string | null;
  public_ipaddr?: string | null;
  ports?: Record<string, Array<{ HostIp?: string; HostPort?: string | number }> | null> | null;
  ssh_host?: string | null;
  ssh_port?: number | null;
  gpu_name?: string;
  dph_total?: number;
  /** Environment as Vast reports it: a list of [name, value] pairs (or an object). */
  extra_env?: Array<[string, string]> | Record<string, string> | null;
}

/** Checks a body is one instance record. */
export function asVastInstance(value: unknown, where: string): VastInstance {
  const record = value as VastInstance | undefined;
  if (typeof record !== 'object' || record === null || typeof record.id !== 'number') {
    throw unexpected('vast', where, `a body that is not an instance (${JSON.stringify(value)?.slice(0, 200)})`);
  }
  return record;
}

/** The `instances` list of `GET /instances/`; anything else (e.g. `deprecated_endpoint`) is an error, never "none". */
export function asVastInstanceList(body: unknown, where: string): VastInstance[] {
  const list = (body as { instances?: unknown } | undefined)?.instances;
  if (!Array.isArray(list)) throw unexpected('vast', where, `no instances list (${JSON.stringify(body)?.slice(0, 200)})`);
  return list.map((item) => asVastInstance(item, where));
}

/** The tag an instance carries in its environment, if Vast reports it. */
export function vastTag(instance: VastInstance): string | undefined {
  const env = instance.extra_env;
  if (Array.isArray(env)) return env.find((pair) => Array.isArray(pair) && pair[0] === TAG_ENV)?.[1];
  return env?.[TAG_ENV];
}

/** Whether the instance carries the tag (environment or label prefix). */
export function vastHasTag(instance: VastInstance, tag: string): boolean {
  return vastTag(instance) === tag || hasTagPrefix(instance.label ?? '', tag);
}

/** A Vast instance as a GpuInstance. */
export function vastToInstance(instance: VastInstance, tag?: string): GpuInstance {
  const ownTag = tag !== undefined && vastHasTag(instance, tag) ? tag : vastTag(instance);
  return {
    providerId: 'vast',
    id: String(instance.id),
    name: instance.label ?? String(instance.id),
    tag: ownTag,
    status: instance.actual_status ?? 'loading',
    gpuType: instance.gpu_name,
    pricePerHour: instance.dph_total,
    createdByTool: ownTag !== undefined,
  };
}

/** The direct SSH endpoint of a running instance (public IP and the host port mapped to 22/tcp), else Vast's SSH host. */
export function vastEndpoint(instance: VastInstance, username: string): SshEndpoint | undefined {
  if (instance.actual_status !== 'running') return undefined;
  const mapped = Number(instance.ports?.['22/tcp']?.[0]?.HostPort);
  if (instance.public_ipaddr && Number.isInteger(mapped) && mapped > 0) return { host: instance.public_ipaddr.trim(), port: mapped, username };
  if (instance.ssh_host && typeof instance.ssh_port === 'number') return { host: instance.ssh_host, port: instance.ssh_port, username };
  return undefined;
}
