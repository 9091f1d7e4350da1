import type { GpuInstance, GpuProviderV1 } from '../gpu-provider-spec.js';
import { createApiClient, unexpected } from '../http/create-api-client.js';
import { createWithoutLeaks } from '../http/create-without-leaks.js';
import { probeSsh } from '../http/probe-ssh.js';
import { tryOffers } from '../http/try-offers.js';
import type { RetryPolicy } from '../http/retry-policy.js';
import { waitUntil } from '../http/wait-until.js';
import { TAG_ENV, taggedName } from '../instance-tags.js';
import { ProviderError } from '../provider-error.js';
import { asVastInstance, asVastInstanceList, vastEndpoint, vastHasTag, vastToInstance, type VastInstance } from './vast-instance.js';
import { noVastOffer, searchAsks, vastOffers, vastSearchBody, type VastSearchOptions } from './vast-offers.js';

/** Settings of the Vast provider; all optional. */
export interface VastProviderSettings extends RetryPolicy, VastSearchOptions {
  /** API key; defaults to the VAST_API_KEY environment variable (read on first use). */
  apiKey?: string;
  /** API base URL (default: the VAST_API_URL environment variable, read on each request, else https://console.vast.ai/api/v0). */
  baseURL?: string;
  fetch?: typeof globalThis.fetch;
  /** Limit on one HTTP request (default 30 s). */
  requestTimeoutMs?: number;
  /** Poll interval of waitReady when the caller gives none (default 5 s). */
  pollMs?: number;
  /** Limit on one SSH reachability probe (default 5 s). */
  sshProbeTimeoutMs?: number;
  /** SSH user (default "root"). */
  username?: string;
  /** Asks tried, cheapest first, when Vast refuses one (e.g. rented by someone else since the search); default 3. */
  maxOffersTried?: number;
}

/** Vast.ai (`/api/v0`): rents the cheapest ask that fits, as an `ssh_direct` instance. */
export function createVastProvider(settings: VastProviderSettings = {}): GpuProviderV1 {
  const client = createApiClient({ ...settings, providerId: 'vast', envVar: 'VAST_API_KEY', baseURL: settings.baseURL ?? (() => process.env.VAST_API_URL || 'https://console.vast.ai/api/v0') });
  const username = settings.username ?? 'root';

  const listInstances = async (abortSignal?: AbortSignal) =>
    asVastInstanceList((await client.request({ method: 'GET', path: '/instances/?owner=me', idempotent: true, abortSignal })).body, 'GET /instances/');
  const showInstance = async (id: string, abortSignal?: AbortSignal): Promise<VastInstance | undefined> => {
    const { status, body } = await client.request({ method: 'GET', path: `/instances/${encodeURIComponent(id)}/`, idempotent: true, allowStatus: [404], abortSignal });
    if (status === 404) return undefined;
    const record = (body as { instances?: unknown } | undefined)?.instances;
    if (record === null) return undefined;
    return asVastInstance(record ?? body, 'GET /instances/{id}/');
  };
  const findInstances = async (nameOrId: string, abortSignal?: AbortSignal) =>
    (await listInstances(abortSignal)).filter((instance) => String(instance.id) === nameOrId || instance.label === nameOrId);
  const destroy = async (instance: GpuInstance, abortSignal?: AbortSignal) => {
    const path = `/instances/${encodeURIComponent(instance.id)}/`;
    const { status, body } = await client.request({ method: 'DELETE', path, idempotent: true, allowStatus: [404], abortSignal });
    if (status === 404 || (body as { success?: unknown } | undefined)?.success !== false) return;
    // Vast may answer success:false for an instance already gone; only a live one is an error.
    if ((await showInstance(instance.id, abortSignal)) === undefined) return;
    throw new ProviderError('provider-api', client.redact(`vast: DELETE ${path} refused: ${JSON.stringify(body).slice(0, 200)}; destroy instance ${instance.id} in the Vast console`), {
      providerId: 'vast',
      instanceId: instance.id,
    });
  };

  return {
    specificationVersion: 'gpu-provider-v1',
    providerId: 'vast',

    async offers(request, options) {
      return vastOffers(await searchAsks(client, vastSearchBody(request, settings), options?.abortSignal), request, settings);
    },

    async provision(request, options) {
      const asks = await searchAsks(client, vastSearchBody(request, settings), options?.abortSignal);
      const fitting = vastOffers(asks, request, settings);
      if (fitting.length === 0) throw noVastOffer(request, asks.length);
      const name = taggedName(request.name, request.tag);
      const body = {
        client_id: 'me',
        image: request.image,
        disk: request.diskGb,
        label: name,
        env: { PUBLIC_KEY: request.sshPublicKey, [TAG_ENV]: request.tag },
        onstart: authorizeKeyScript(request.sshPublicKey),
        runtype: 'ssh_direct',
      };
      const named = async () => {
        const found = (await findInstances(name))[0];
        return found ? vastToInstance(found, request.tag) : undefined;
      };
      return tryOffers(
        fitting,
        async (offer) => {
          options?.onProgress?.({ stage: 'provision', done: 0, message: `vast: renting ask ${offer.askId}, ${offer.gpuCount}× ${offer.gpuType} at $${offer.pricePerHour}/h as ${name}` });
          const instance = await createWithoutLeaks<GpuInstance>({
            providerId: 'vast',
            name,
            policy: settings,
            abortSignal: options?.abortSignal,
            onProgress: options?.onProgress,
            idOf: (found) => found.id,
            findByName: named,
            terminate: (found) => destroy(found),
            create: async () => {
              const path = `/asks/${offer.askId}/`;
              const answer = (await client.request({ method: 'PUT', path, body, idempotent: false, abortSignal: options?.abortSignal })).body as
                | { success?: boolean; new_contract?: unknown }
                | undefined;
              if (typeof answer?.new_contract !== 'number') throw unexpected('vast', `PUT ${path}`, `no new_contract (${JSON.stringify(answer)?.slice(0, 200)})`);
              return { providerId: 'vast', id: String(answer.new_contract), name, tag: request.tag, status: 'loading', createdByTool: true } satisfies GpuInstance;
            },
          });
          return { ...instance, tag: request.tag, createdByTool: true, gpuType: instance.gpuType ?? offer.gpuType, pricePerHour: instance.pricePerHour ?? offer.pricePerHour };
        },
        { providerId: 'vast', maxOffers: settings.maxOffersTried, onProgress: options?.onProgress, abortSignal: options?.abortSignal },
      );
    },

    async find(nameOrId, options) {
      const found = await findInstances(nameOrId, options?.abortSignal);
      const byId = found.find((instance) => String(instance.id) === nameOrId);
      if (byId) return vastToInstance(byId);
      if (found.length > 1) {
        throw new ProviderError('invalid-target', `vast: ${found.length} instances are labelled ${nameOrId} (${found.map((i) => i.id).join(', ')}); give the instance id instead`, { providerId: 'vast' });
      }
      return found[0] ? vastToInstance(found[0]) : undefined;
    },

    async list(tag, options) {
      return (await listInstances(options?.abortSignal)).filter((instance) => vastHasTag(instance, tag)).map((instance) => vastToInstance(instance, tag));
    },

    async waitReady(instance, options) {
      let last = '';
      let seen = '';
      return waitUntil(
        async (signal) => {
          const record = await showInstance(instance.id, signal);
          if (!record) throw new ProviderError('instance-failed', `vast: instance ${instance.id} (${instance.name}) no longer exists; it was destroyed or lost`, { providerId: 'vast', instanceId: instance.id });
          const status = record.actual_status ?? 'not started';
          if (status !== last) options.onProgress?.({ stage: 'provision', done: 0, message: `vast: ${instance.name} is ${status}` });
          last = seen = status;
          if (status === 'exited' || status === 'offline' || record.intended_status === 'stopped') {
            throw new ProviderError('instance-failed', `vast: instance ${instance.id} (${instance.name}) is ${status}; destroy it and provision again`, { providerId: 'vast', instanceId: instance.id });
          }
          const endpoint = vastEndpoint(record, username);
          if (!endpoint) return undefined;
          seen = `${status}, SSH at ${endpoint.host}:${endpoint.port} not answering yet`;
          return (await probeSsh(endpoint.host, endpoint.port, settings.sshProbeTimeoutMs ?? 5_000, signal)) ? endpoint : undefined;
        },
        {
          ...options,
          pollMs: options.pollMs ?? settings.pollMs,
          providerId: 'vast',
          instanceId: instance.id,
          timeoutMessage: () =>
            `vast: instance ${instance.id} (${instance.name}) was not reachable over SSH after ${options.timeoutMs} ms (last seen: ${seen || 'no answer'}); destroy it (corpus-proximity remote cleanup) and try again or another --gpu`,
        },
      );
    },

    async terminate(instance, options) {
      await destroy(instance, options?.abortSignal);
    },
  };
}

/** The onstart script that installs the public key for root (the key is checked, then single-quoted). */
function authorizeKeyScript(publicKey: string): string {
  const key = publicKey.trim();
  if (!/^[A-Za-z0-9@._+/= :-]+$/.test(key) || key.includes('\n')) {
    throw new ProviderError('invalid-request', 'vast: the SSH public key is not a one-line OpenSSH key (ssh-ed25519 AAAA… comment); pass the .pub file', { providerId: 'vast' });
  }
  return `mkdir -p ~/.ssh && chmod 700 ~/.ssh && printf '%s\\n' '${key}' >> ~/.ssh/authorized_keys && chmod 600 ~/.ssh/authorized_keys`;
}
