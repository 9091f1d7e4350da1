import { randomBytes } from 'node:crypto';
import type { RunPodProviderSettings } from '../runpod/create-runpod-provider.js';
import { startFakeApiServer, type FakeApiServer, type FakeReply, type FakeSshEndpoint } from './fake-api-server.js';

/** A GPU type the fake RunPod offers (the GraphQL `gpuTypes` fields). */
export interface FakeRunPodGpuType {
  id: string;
  displayName: string;
  memoryInGb: number;
  secureCloud: boolean;
  communityCloud: boolean;
  securePrice: number | null;
  communityPrice: number | null;
}

/** A pod as the fake keeps it (the REST v1 Pod fields, plus what the fake needs). */
export interface FakeRunPodPod {
  id: string;
  name: string;
  desiredStatus: 'RUNNING' | 'EXITED' | 'TERMINATED';
  imageName: string;
  gpuCount: number;
  gpu: { id: string; displayName: string; count: number };
  costPerHr: number;
  publicIp: string;
  portMappings: Record<string, number>;
  env: Record<string, string>;
  /** Lookups left that show it starting, before it gets its public IP and port mapping. */
  pollsUntilReady: number;
  stuck: boolean;
  supportPublicIp: boolean;
}

/** A fake RunPod: REST v1 under `/v1`, GraphQL at `/graphql`. */
export interface FakeRunPod extends FakeApiServer {
  /** Settings to pass to createRunPodProvider (baseURL, graphqlURL, apiKey). */
  readonly settings: Required<Pick<RunPodProviderSettings, 'apiKey' | 'baseURL' | 'graphqlURL'>>;
  /** Live pods (terminated ones are gone). */
  pods(): FakeRunPodPod[];
  /** Makes a pod vanish as a lost instance would. */
  losePod(id: string): void;
  /** Sets a pod's desiredStatus (e.g. "EXITED"). */
  setPodStatus(id: string, status: FakeRunPodPod['desiredStatus']): void;
}

/** Options of the fake RunPod. */
export interface FakeRunPodOptions {
  apiKey?: string;
  /** Handed out as every ready pod's publicIp and portMappings["22"] (default 127.0.0.1:22). */
  ssh?: FakeSshEndpoint;
  gpuTypes?: FakeRunPodGpuType[];
  /** `GET /v1/pods/{id}` lookups that still show a new pod starting, without public IP (default 1). */
  readyAfterPolls?: number;
  /** Called for each pod created (e.g. to authorize `pod.env.PUBLIC_KEY` on a test sshd). */
  onCreate?: (pod: FakeRunPodPod) => void;
}

/** The fake's default GPU catalogue: per-GPU hourly prices, secure and community. */
export const fakeRunPodGpuTypes: FakeRunPodGpuType[] = [
  { id: 'NVIDIA RTX A4000', displayName: 'RTX A4000', memoryInGb: 16, secureCloud: true, communityCloud: true, securePrice: 0.32, communityPrice: 0.17 },
  { id: 'NVIDIA GeForce RTX 4090', displayName: 'RTX 4090', memoryInGb: 24, secureCloud: true, communityCloud: true, securePrice: 0.69, communityPrice: 0.34 },
  { id: 'NVIDIA A100 80GB PCIe', displayName: 'A100 PCIe', memoryInGb: 80, secureCloud: true, communityCloud: true, securePrice: 1.64, communityPrice: 1.19 },
  { id: 'NVIDIA H100 80GB HBM3', displayName: 'H100 SXM', memoryInGb: 80, secureCloud: true, communityCloud: false, securePrice: 2.99, communityPrice: null },
];

/**
 * Starts a fake RunPod on 127.0.0.1 that keeps pod state and speaks the documented REST v1 and
 * GraphQL `gpuTypes` API, with injectable faults (see FakeFault).
 */
export async function startFakeRunPod(options: FakeRunPodOptions = {}): Promise<FakeRunPod> {
  const pods = new Map<string, FakeRunPodPod>();
  const gpuTypes = options.gpuTypes ?? fakeRunPodGpuTypes;
  const view = (pod: FakeRunPodPod) => {
    const { pollsUntilReady: _polls, stuck: _stuck, supportPublicIp: _public, ...rest } = pod;
    return rest;
  };
  const server = await startFakeApiServer({
    apiKey: options.apiKey,
    ssh: options.ssh,
    handle(method, path, body, context): FakeReply {
      if (method === 'POST' && path === '/graphql') {
        const query = (body as { query?: unknown } | undefined)?.query;
        if (typeof query !== 'string' || !query.includes('gpuTypes')) return { status: 200, body: { errors: [{ message: 'Cannot query field: only gpuTypes is supported by the fake' }] } };
        return { status: 200, body: { data: { gpuTypes } } };
      }
      if (path === '/v1/pods' && method === 'GET') return { status: 200, body: [...pods.values()].map(view) };
      if (path === '/v1/pods' && method === 'POST') {
        const request = (body ?? {}) as Record<string, unknown>;
        const typeIds = request.gpuTypeIds;
        const type = Array.isArray(typeIds) ? gpuTypes.find((candidate) => candidate.id === typeIds[0]) : undefined;
        if (typeof request.name !== 'string' || typeof request.imageName !== 'string' || !type) {
          return { status: 400, body: { error: 'name, imageName and a known gpuTypeIds[0] are required' } };
        }
        const cloud = request.cloudType === 'COMMUNITY' ? 'COMMUNITY' : 'SECURE';
        const unit = cloud === 'COMMUNITY' ? type.communityPrice : type.securePrice;
        if (unit === null || (cloud === 'COMMUNITY' ? !type.communityCloud : !type.secureCloud)) {
          return { status: 400, body: { error: `There are no instances currently available for ${type.id} in ${cloud}` } };
        }
        const gpuCount = typeof request.gpuCount === 'number' ? request.gpuCount : 1;
        const pod: FakeRunPodPod = {
          id: randomBytes(7).toString('hex'),
          name: request.name,
          desiredStatus: 'RUNNING',
          imageName: request.imageName,
          gpuCount,
          gpu: { id: type.id, displayName: type.displayName, count: gpuCount },
          costPerHr: Math.round(unit * gpuCount * 1000) / 1000,
          publicIp: '',
          portMappings: {},
          env: { ...(request.env as Record<string, string> | undefined) },
          pollsUntilReady: options.readyAfterPolls ?? 1,
          stuck: context.takeFault('stuck-provisioning', 'POST', path) !== undefined,
          supportPublicIp: request.supportPublicIp === true && Array.isArray(request.ports) && request.ports.includes('22/tcp'),
        };
        pods.set(pod.id, pod);
        options.onCreate?.(pod);
        if (context.takeFault('create-500-after-create', 'POST', path)) return { status: 500, body: { error: 'Something went wrong. Please try again later.' } };
        return { status: 201, body: view(pod) };
      }
      const match = /^\/v1\/pods\/([^/]+)$/.exec(path);
      if (match) {
        const pod = pods.get(decodeURIComponent(match[1]!));
        if (!pod) return { status: 404, body: { error: 'pod not found' } };
        if (method === 'DELETE') {
          pods.delete(pod.id);
          return { status: 204 };
        }
        if (method === 'GET') {
          if (pod.pollsUntilReady > 0) pod.pollsUntilReady--;
          else if (!pod.stuck && pod.supportPublicIp && pod.desiredStatus === 'RUNNING') {
            pod.publicIp = context.ssh().host;
            pod.portMappings = { '22': context.ssh().port };
          }
          return { status: 200, body: view(pod) };
        }
      }
      return { status: 404, body: { error: `no route ${method} ${path}` } };
    },
  });
  return Object.assign(server, {
    settings: { apiKey: server.apiKey, baseURL: `${server.url}/v1`, graphqlURL: `${server.url}/graphql` },
    pods: () => [...pods.values()].map((pod) => ({ ...pod })),
    losePod: (id: string) => void pods.delete(id),
    setPodStatus: (id: string, status: FakeRunPodPod['desiredStatus']) => {
      const pod = pods.get(id);
      if (pod) pod.desiredStatus = status;
    },
  });
}
