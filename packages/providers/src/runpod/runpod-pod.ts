import type { GpuInstance, SshEndpoint } from '../gpu-provider-spec.js';
import { unexpected } from '../http/create-api-client.js';
import { hasTagPrefix, TAG_ENV } from '../instance-tags.js';

/** The fields of a RunPod REST v1 Pod this provider reads. */
export interface RunPodPod {
  id: string;
  name: string;
  desiredStatus?: string;
  publicIp?: string | null;
  portMappings?: Record<string, number> | null;
  costPerHr?: number | string;
  env?: Record<string, string> | null;
  gpu?: { id?: string; displayName?: string; count?: number } | null;
}

/** Checks a body is a Pod (throws "unexpected-response" otherwise). */
export function asPod(body: unknown, where: string): RunPodPod {
  const pod = body as RunPodPod | undefined;
  if (typeof pod !== 'object' || pod === null || typeof pod.id !== 'string' || typeof pod.name !== 'string') {
    throw unexpected('runpod', where, `a body that is not a pod (${JSON.stringify(body)?.slice(0, 200)})`);
  }
  return pod;
}

/** Checks a body is a list of Pods. */
export function asPodList(body: unknown, where: string): RunPodPod[] {
  if (!Array.isArray(body)) throw unexpected('runpod', where, `a body that is not a list of pods (${JSON.stringify(body)?.slice(0, 200)})`);
  return body.map((pod) => asPod(pod, where));
}

/** A Pod as a GpuInstance; `tag` is known when listing by tag. */
export function podToInstance(pod: RunPodPod, tag?: string): GpuInstance {
  const envTag = pod.env?.[TAG_ENV];
  const ownTag = tag !== undefined && (envTag === tag || hasTagPrefix(pod.name, tag)) ? tag : envTag;
  const price = typeof pod.costPerHr === 'string' ? Number(pod.costPerHr) : pod.costPerHr;
  return {
    providerId: 'runpod',
    id: pod.id,
    name: pod.name,
    tag: ownTag,
    status: pod.desiredStatus ?? 'UNKNOWN',
    gpuType: pod.gpu?.displayName ?? pod.gpu?.id,
    pricePerHour: typeof price === 'number' && Number.isFinite(price) ? price : undefined,
    createdByTool: ownTag !== undefined,
  };
}

/** The SSH endpoint of a running pod with a public IP and a mapped port 22; undefined while starting. */
export function podEndpoint(pod: RunPodPod, username: string): SshEndpoint | undefined {
  const port = pod.portMappings?.['22'];
  if (pod.desiredStatus !== 'RUNNING' || !pod.publicIp || typeof port !== 'number') return undefined;
  return { host: pod.publicIp, port, username };
}
