import type { GpuOffer, GpuRequest } from '../gpu-provider-spec.js';
import { gpuMatches } from '../gpu-matches.js';
import { unexpected, type ApiClient } from '../http/create-api-client.js';
import { NoOfferError } from '../provider-error.js';

/** A Vast ask as the search returns it (sizes as Vast gives them: gpu_ram and cpu_ram in MB, disk_space in GB). */
export interface VastAsk {
  id: number;
  gpu_name?: string;
  num_gpus?: number;
  gpu_ram?: number;
  cpu_ram?: number;
  disk_space?: number;
  dph_total?: number;
  reliability?: number;
  verified?: boolean;
  rentable?: boolean;
}

/** What the Vast search is asked for. */
export interface VastSearchOptions {
  /** Least host reliability, 0..1 (default 0.95). */
  minReliability?: number;
  /** Only verified hosts (default true). */
  verifiedOnly?: boolean;
}

/** The filter body of `POST /bundles/` for a request. */
export function vastSearchBody(request: GpuRequest, options: VastSearchOptions): Record<string, unknown> {
  return {
    rentable: { eq: true },
    ...(options.verifiedOnly === false ? {} : { verified: { eq: true } }),
    num_gpus: { eq: request.gpuCount },
    disk_space: { gte: request.diskGb },
    reliability: { gte: options.minReliability ?? 0.95 },
    ...(request.minVramGb !== undefined ? { gpu_ram: { gte: request.minVramGb * 1024 } } : {}),
    ...(request.minRamGb !== undefined ? { cpu_ram: { gte: request.minRamGb * 1024 } } : {}),
    ...(request.maxPricePerHour !== undefined ? { dph_total: { lte: request.maxPricePerHour } } : {}),
    type: 'on-demand',
    order: [['dph_total', 'asc']],
    limit: 64,
  };
}

/** Searches Vast's asks; throws on an answer without an `offers` list. */
export async function searchAsks(client: ApiClient, body: Record<string, unknown>, abortSignal?: AbortSignal): Promise<VastAsk[]> {
  const answer = (await client.request({ method: 'POST', path: '/bundles/', body, idempotent: true, abortSignal })).body as { offers?: unknown } | undefined;
  const offers = answer?.offers;
  if (!Array.isArray(offers) || offers.some((offer) => typeof offer?.id !== 'number')) {
    throw unexpected('vast', 'POST /bundles/', `no offers list (${JSON.stringify(answer)?.slice(0, 200)})`);
  }
  return offers as VastAsk[];
}

/** The asks that meet every bound of the request (checked here too, not only by the server), cheapest first. */
export function vastOffers(asks: VastAsk[], request: GpuRequest, options: VastSearchOptions): Array<GpuOffer & { askId: number }> {
  return asks
    .filter(
      (ask) =>
        typeof ask.dph_total === 'number' &&
        gpuMatches(request.gpuType, ask.gpu_name) &&
        (ask.num_gpus ?? 0) === request.gpuCount &&
        (ask.disk_space ?? 0) >= request.diskGb &&
        (request.minVramGb === undefined || (ask.gpu_ram ?? 0) >= request.minVramGb * 1024) &&
        (request.minRamGb === undefined || (ask.cpu_ram ?? 0) >= request.minRamGb * 1024) &&
        (request.maxPricePerHour === undefined || ask.dph_total <= request.maxPricePerHour) &&
        (ask.reliability ?? 1) >= (options.minReliability ?? 0.95) &&
        ask.rentable !== false,
    )
    .map((ask) => ({
      id: String(ask.id),
      askId: ask.id,
      gpuType: ask.gpu_name ?? 'unknown',
      gpuCount: ask.num_gpus ?? request.gpuCount,
      vramGb: ask.gpu_ram !== undefined ? Math.round(ask.gpu_ram / 1024) : undefined,
      pricePerHour: ask.dph_total!,
    }))
    .sort((a, b) => a.pricePerHour - b.pricePerHour || a.askId - b.askId);
}

/** The error when nothing fits. */
export function noVastOffer(request: GpuRequest, searched: number): NoOfferError {
  const wanted = [
    request.gpuType ? `GPU type "${request.gpuType}"` : 'any GPU type',
    `${request.gpuCount} GPU(s)`,
    `${request.diskGb} GB disk`,
    request.minVramGb !== undefined ? `≥ ${request.minVramGb} GB VRAM` : '',
    request.minRamGb !== undefined ? `≥ ${request.minRamGb} GB RAM` : '',
    request.maxPricePerHour !== undefined ? `≤ $${request.maxPricePerHour}/h` : '',
  ].filter(Boolean);
  return new NoOfferError(
    'vast',
    `vast: no offer fits ${wanted.join(', ')} (${searched} offers searched); raise --max-price, pick another --gpu, or lower the sizes`,
  );
}
