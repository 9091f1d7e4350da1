import type { GpuOffer, GpuRequest } from '../gpu-provider-spec.js';
import { gpuMatches } from '../gpu-matches.js';
import { unexpected, type ApiClient } from '../http/create-api-client.js';
import { NoOfferError, ProviderError } from '../provider-error.js';

/** A RunPod offer: one GPU type in one cloud. */
export interface RunPodOffer extends GpuOffer {
  gpuTypeId: string;
  cloudType: 'SECURE' | 'COMMUNITY';
}

/** The GraphQL query for GPU types and their per-GPU hourly prices. */
export const GPU_TYPES_QUERY = 'query GpuTypes { gpuTypes { id displayName memoryInGb secureCloud communityCloud securePrice communityPrice } }';

interface RunPodGpuType {
  id: string;
  displayName?: string;
  memoryInGb?: number;
  secureCloud?: boolean;
  communityCloud?: boolean;
  securePrice?: number | null;
  communityPrice?: number | null;
}

/** Fetches RunPod's GPU types (GraphQL; errors arrive as HTTP 200 with `errors[]`). */
export async function fetchGpuTypes(client: ApiClient, graphqlURL: string, abortSignal?: AbortSignal): Promise<RunPodGpuType[]> {
  const { body } = await client.request({ method: 'POST', path: graphqlURL, body: { query: GPU_TYPES_QUERY }, idempotent: true, abortSignal });
  const record = (body ?? {}) as { data?: { gpuTypes?: unknown }; errors?: Array<{ message?: string }> };
  if (Array.isArray(record.errors) && record.errors.length > 0) {
    const messages = record.errors.map((error) => error?.message ?? 'unknown error').join('; ');
    throw new ProviderError('provider-api', client.redact(`runpod: the GraphQL gpuTypes query failed: ${messages}; check the API key (RUNPOD_API_KEY) and try again`), {
      providerId: 'runpod',
    });
  }
  const types = record.data?.gpuTypes;
  if (!Array.isArray(types) || types.some((type) => typeof type?.id !== 'string')) {
    throw unexpected('runpod', `POST ${graphqlURL.replace(/\?.*$/, '')}`, 'no data.gpuTypes list');
  }
  return types as RunPodGpuType[];
}

/** Every offer that fits the request, cheapest first; `cloudType` limits the clouds considered. */
export function runPodOffers(types: RunPodGpuType[], request: GpuRequest, cloudType: 'SECURE' | 'COMMUNITY' | 'ANY'): RunPodOffer[] {
  const offers: RunPodOffer[] = [];
  for (const type of types) {
    if (!gpuMatches(request.gpuType, type.id, type.displayName)) continue;
    if (request.minVramGb !== undefined && (type.memoryInGb ?? 0) < request.minVramGb) continue;
    const clouds: Array<['SECURE' | 'COMMUNITY', number | null | undefined, boolean | undefined]> = [
      ['SECURE', type.securePrice, type.secureCloud],
      ['COMMUNITY', type.communityPrice, type.communityCloud],
    ];
    for (const [cloud, unitPrice, available] of clouds) {
      if (cloudType !== 'ANY' && cloud !== cloudType) continue;
      if (available === false || typeof unitPrice !== 'number' || !(unitPrice > 0)) continue;
      const pricePerHour = round(unitPrice * request.gpuCount);
      if (request.maxPricePerHour !== undefined && pricePerHour > request.maxPricePerHour) continue;
      offers.push({
        id: `${type.id}/${cloud}`,
        gpuTypeId: type.id,
        cloudType: cloud,
        gpuType: type.displayName ?? type.id,
        gpuCount: request.gpuCount,
        vramGb: type.memoryInGb,
        pricePerHour,
      });
    }
  }
  return offers.sort((a, b) => a.pricePerHour - b.pricePerHour || a.id.localeCompare(b.id));
}

/** The error when nothing fits, saying which bound to loosen. */
export function noRunPodOffer(types: RunPodGpuType[], request: GpuRequest): NoOfferError {
  const unbounded = runPodOffers(types, { ...request, maxPricePerHour: undefined }, 'ANY');
  const wanted = [
    request.gpuType ? `GPU type "${request.gpuType}"` : 'any GPU type',
    `${request.gpuCount} GPU(s)`,
    request.minVramGb !== undefined ? `≥ ${request.minVramGb} GB VRAM` : '',
    request.maxPricePerHour !== undefined ? `≤ $${request.maxPricePerHour}/h` : '',
  ].filter(Boolean);
  const hint =
    unbounded.length > 0 && request.maxPricePerHour !== undefined
      ? `the cheapest match costs $${unbounded[0]!.pricePerHour}/h (${unbounded[0]!.gpuType}): raise --max-price`
      : `none of RunPod's ${types.length} GPU types matches: pick another --gpu (e.g. ${types.slice(0, 3).map((t) => t.displayName ?? t.id).join(', ')})`;
  return new NoOfferError('runpod', `runpod: no offer fits ${wanted.join(', ')}; ${hint}`);
}

function round(value: number): number {
  return Math.round(value * 10_000) / 10_000;
}
