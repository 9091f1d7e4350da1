import type { GpuInstance, GpuProviderV1, GpuRequest } from '../gpu-provider-spec.js';
import { createApiClient } from '../http/create-api-client.js';
import { createWithoutLeaks } from '../http/create-without-leaks.js';
import { probeSsh } from '../http/probe-ssh.js';
import { tryOffers } from '../http/try-offers.js';
import type { RetryPolicy } from '../http/retry-policy.js';
import { waitUntil } from '../http/wait-until.js';
import { hasTagPrefix, TAG_ENV, taggedName } from '../instance-tags.js';
import { ProviderError } from '../provider-error.js';
import { fetchGpuTypes, noRunPodOffer, runPodOffers } from './runpod-offers.js';
import { asPod, asPodList, podEndpoint, podToInstance, type RunPodPod } from './runpod-pod.js';

/** Settings of the RunPod provider; all optional. */
export interface RunPodProviderSettings extends RetryPolicy {
  /** API key; defaults to the RUNPOD_API_KEY environment variable (read on first use). */
  apiKey?: string;
  /** REST v1 base URL (default: the RUNPOD_API_URL environment variable, read on each request, else https://rest.runpod.io/v1). */
  baseURL?: string;
  /** GraphQL URL for GPU types and prices (default: RUNPOD_GRAPHQL_URL, read on each request, else https://api.runpod.io/graphql). */
  graphqlURL?: string;
  fetch?: typeof globalThis.fetch;
  /** Limit on one HTTP request (default 30 s). */
  requestTimeoutMs?: number;
  /** Which cloud to rent from (default "ANY": the cheaper of secure and community). */
  cloudType?: 'SECURE' | 'COMMUNITY' | 'ANY';
  /** Poll interval of waitReady when the caller gives none (default 5 s). */
  pollMs?: number;
  /** Limit on one SSH reachability probe (default 5 s). */
  sshProbeTimeoutMs?: number;
  /** SSH user (default "root"). */
  username?: string;
  /** Offers tried, cheapest first, when RunPod refuses one (e.g. sold out); default 3. */
  maxOffersTried?: number;
}

/** RunPod (REST v1 + GraphQL prices): rents the cheapest pod that fits, with a public IP and 22/tcp. */
export function createRunPodProvider(settings: RunPodProviderSettings = {}): GpuProviderV1 {
  const client = createApiClient({ ...settings, providerId: 'runpod', envVar: 'RUNPOD_API_KEY', baseURL: settings.baseURL ?? (() => process.env.RUNPOD_API_URL || 'https://rest.runpod.io/v1') });
  const graphqlURL = () => settings.graphqlURL ?? (process.env.RUNPOD_GRAPHQL_URL || 'https://api.runpod.io/graphql');
  const username = settings.username ?? 'root';

  const listPods = async (abortSignal?: AbortSignal) => asPodList((await client.request({ method: 'GET', path: '/pods', idempotent: true, abortSignal })).body, 'GET /pods');
  const getPod = async (id: string, abortSignal?: AbortSignal): Promise<RunPodPod | undefined> => {
    const { status, body } = await client.request({ method: 'GET', path: `/pods/${encodeURIComponent(id)}`, idempotent: true, allowStatus: [404], abortSignal });
    return status === 404 ? undefined : asPod(body, 'GET /pods/{id}');
  };
  const findPods = async (nameOrId: string, abortSignal?: AbortSignal) => (await listPods(abortSignal)).filter((pod) => pod.id === nameOrId || pod.name === nameOrId);
  const terminate = async (instance: GpuInstance, abortSignal?: AbortSignal) => {
    await client.request({ method: 'DELETE', path: `/pods/${encodeURIComponent(instance.id)}`, idempotent: true, allowStatus: [404], abortSignal });
  };
  const offers = async (request: GpuRequest, abortSignal?: AbortSignal) => {
    const types = await fetchGpuTypes(client, graphqlURL(), abortSignal);
    return { types, offers: runPodOffers(types, request, settings.cloudType ?? 'ANY') };
  };

  return {
    specificationVersion: 'gpu-provider-v1',
    providerId: 'runpod',

    async offers(request, options) {
      return (await offers(request, options?.abortSignal)).offers;
    },

    async provision(request, options) {
      const { types, offers: fitting } = await offers(request, options?.abortSignal);
      if (fitting.length === 0) throw noRunPodOffer(types, request);
      const name = taggedName(request.name, request.tag);
      const named = async () => {
        const pods = await findPods(name);
        return pods[0] ? podToInstance(pods[0], request.tag) : undefined;
      };
      return tryOffers(
        fitting,
        async (offer) => {
          options?.onProgress?.({ stage: 'provision', done: 0, message: `runpod: renting ${offer.gpuCount}× ${offer.gpuType} (${offer.cloudType}) at $${offer.pricePerHour}/h as ${name}` });
          const body = {
            name,
            imageName: request.image,
            gpuTypeIds: [offer.gpuTypeId],
            gpuCount: request.gpuCount,
            cloudType: offer.cloudType,
            containerDiskInGb: request.diskGb,
            volumeInGb: 0,
            ports: ['22/tcp'],
            supportPublicIp: true,
            env: { PUBLIC_KEY: request.sshPublicKey, [TAG_ENV]: request.tag },
            ...(request.minRamGb !== undefined ? { minRAMPerGPU: Math.ceil(request.minRamGb / request.gpuCount) } : {}),
          };
          const instance = await createWithoutLeaks({
            providerId: 'runpod',
            name,
            policy: settings,
            abortSignal: options?.abortSignal,
            onProgress: options?.onProgress,
            idOf: (found) => found.id,
            findByName: named,
            terminate: (found) => terminate(found),
            create: async () =>
              podToInstance(asPod((await client.request({ method: 'POST', path: '/pods', body, idempotent: false, abortSignal: options?.abortSignal })).body, 'POST /pods'), request.tag),
          });
          return { ...instance, tag: request.tag, createdByTool: true, pricePerHour: instance.pricePerHour ?? offer.pricePerHour, gpuType: instance.gpuType ?? offer.gpuType };
        },
        { providerId: 'runpod', maxOffers: settings.maxOffersTried, onProgress: options?.onProgress, abortSignal: options?.abortSignal },
      );
    },

    async find(nameOrId, options) {
      const pods = await findPods(nameOrId, options?.abortSignal);
      const byId = pods.find((pod) => pod.id === nameOrId);
      if (byId) return podToInstance(byId);
      if (pods.length > 1) {
        throw new ProviderError('invalid-target', `runpod: ${pods.length} pods are named ${nameOrId} (${pods.map((pod) => pod.id).join(', ')}); give the pod id instead`, { providerId: 'runpod' });
      }
      return pods[0] ? podToInstance(pods[0]) : undefined;
    },

    async list(tag, options) {
      const pods = await listPods(options?.abortSignal);
      return pods.filter((pod) => pod.env?.[TAG_ENV] === tag || hasTagPrefix(pod.name, tag)).map((pod) => podToInstance(pod, tag));
    },

    async waitReady(instance, options) {
      let last = '';
      let seen = '';
      return waitUntil(
        async (signal) => {
          const pod = await getPod(instance.id, signal);
          if (!pod) throw new ProviderError('instance-failed', `runpod: pod ${instance.id} (${instance.name}) no longer exists; it was terminated or lost`, { providerId: 'runpod', instanceId: instance.id });
          const status = `${pod.desiredStatus ?? 'UNKNOWN'}${pod.publicIp ? '' : ', no public IP yet'}`;
          if (status !== last) options.onProgress?.({ stage: 'provision', done: 0, message: `runpod: ${instance.name} is ${status}` });
          last = status;
          seen = status;
          if (pod.desiredStatus === 'EXITED' || pod.desiredStatus === 'TERMINATED') {
            throw new ProviderError('instance-failed', `runpod: pod ${instance.id} (${instance.name}) is ${pod.desiredStatus}; terminate it and provision again`, { providerId: 'runpod', instanceId: instance.id });
          }
          const endpoint = podEndpoint(pod, username);
          if (!endpoint) return undefined;
          seen = `${status}, SSH at ${endpoint.host}:${endpoint.port} not answering yet`;
          return (await probeSsh(endpoint.host, endpoint.port, settings.sshProbeTimeoutMs ?? 5_000, signal)) ? endpoint : undefined;
        },
        {
          ...options,
          pollMs: options.pollMs ?? settings.pollMs,
          providerId: 'runpod',
          instanceId: instance.id,
          timeoutMessage: () =>
            `runpod: pod ${instance.id} (${instance.name}) was not reachable over SSH after ${options.timeoutMs} ms (last seen: ${seen || 'no answer'}); terminate it (corpus-proximity remote cleanup) and try again or another --gpu`,
        },
      );
    },

    async terminate(instance, options) {
      await terminate(instance, options?.abortSignal);
    },
  };
}
