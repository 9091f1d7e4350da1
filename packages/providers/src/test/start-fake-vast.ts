import type { VastProviderSettings } from '../vast/create-vast-provider.js';
import { startFakeApiServer, type FakeApiServer, type FakeReply, type FakeSshEndpoint } from './fake-api-server.js';

/** An ask (offer) the fake Vast rents out; sizes as Vast gives them (gpu_ram, cpu_ram in MB, disk_space in GB). */
export interface FakeVastAsk {
  id: number;
  gpu_name: string;
  num_gpus: number;
  gpu_ram: number;
  cpu_ram: number;
  disk_space: number;
  dph_total: number;
  reliability: number;
  verified: boolean;
  rentable: boolean;
}

/** An instance as the fake keeps it (the fields `GET /instances/{id}/` answers, plus its state). */
export interface FakeVastInstance {
  id: number;
  label: string | null;
  image: string;
  disk: number;
  actual_status: string | null;
  intended_status: string;
  public_ipaddr: string | null;
  ports: Record<string, Array<{ HostIp: string; HostPort: string }>>;
  ssh_host: string | null;
  ssh_port: number | null;
  gpu_name: string;
  num_gpus: number;
  dph_total: number;
  extra_env: Array<[string, string]>;
  onstart: string;
  ask_id: number;
  /** Lookups left that show it loading; the statuses go null → loading → running. */
  pollsUntilReady: number;
  stuck: boolean;
}

/** A fake Vast.ai: the API under `/api/v0`. */
export interface FakeVast extends FakeApiServer {
  /** Settings to pass to createVastProvider (baseURL, apiKey). */
  readonly settings: Required<Pick<VastProviderSettings, 'apiKey' | 'baseURL'>>;
  /** Live instances (destroyed ones are gone). */
  instances(): FakeVastInstance[];
  /** Makes an instance vanish as a lost one would. */
  loseInstance(id: number | string): void;
  /** Sets an instance's actual_status (e.g. "exited"). */
  setInstanceStatus(id: number | string, status: string | null): void;
}

/** Options of the fake Vast. */
export interface FakeVastOptions {
  apiKey?: string;
  /** Handed out as every running instance's public_ipaddr and ports["22/tcp"] (default 127.0.0.1:22). */
  ssh?: FakeSshEndpoint;
  asks?: FakeVastAsk[];
  /** `GET /instances/{id}/` lookups that still show a new instance loading (default 1). */
  readyAfterPolls?: number;
  /** Called for each instance created (e.g. to authorize the key from `extra_env` on a test sshd). */
  onCreate?: (instance: FakeVastInstance) => void;
}

/** The fake's default asks. */
export const fakeVastAsks: FakeVastAsk[] = [
  { id: 5001, gpu_name: 'RTX 3090', num_gpus: 1, gpu_ram: 24_576, cpu_ram: 32_768, disk_space: 200, dph_total: 0.21, reliability: 0.99, verified: true, rentable: true },
  { id: 5002, gpu_name: 'RTX 4090', num_gpus: 1, gpu_ram: 24_564, cpu_ram: 64_000, disk_space: 500, dph_total: 0.38, reliability: 0.995, verified: true, rentable: true },
  { id: 5003, gpu_name: 'RTX 4090', num_gpus: 1, gpu_ram: 24_564, cpu_ram: 32_000, disk_space: 100, dph_total: 0.31, reliability: 0.9, verified: false, rentable: true },
  { id: 5004, gpu_name: 'A100 SXM4', num_gpus: 1, gpu_ram: 81_920, cpu_ram: 128_000, disk_space: 1000, dph_total: 1.1, reliability: 0.99, verified: true, rentable: true },
  { id: 5005, gpu_name: 'H100 SXM', num_gpus: 2, gpu_ram: 81_559, cpu_ram: 256_000, disk_space: 2000, dph_total: 4.6, reliability: 0.995, verified: true, rentable: true },
];

/**
 * Starts a fake Vast.ai on 127.0.0.1 that keeps instance state and speaks the documented `/api/v0`
 * search, create, show, list and destroy calls, with injectable faults (see FakeFault).
 */
export async function startFakeVast(options: FakeVastOptions = {}): Promise<FakeVast> {
  const asks = (options.asks ?? fakeVastAsks).map((ask) => ({ ...ask }));
  const instances = new Map<number, FakeVastInstance>();
  let nextId = 31_000_001;
  const view = (instance: FakeVastInstance) => {
    const { pollsUntilReady: _polls, stuck: _stuck, ask_id: _ask, onstart: _onstart, ...rest } = instance;
    return rest;
  };
  const server = await startFakeApiServer({
    apiKey: options.apiKey,
    ssh: options.ssh,
    handle(method, path, body, context): FakeReply {
      if (method === 'POST' && path === '/api/v0/bundles/') {
        const filter = (body ?? {}) as Record<string, unknown>;
        const rented = new Set([...instances.values()].map((instance) => instance.ask_id));
        const offers = asks
          .filter((ask) => !rented.has(ask.id) && passes(ask as unknown as Record<string, unknown>, filter))
          .sort((a, b) => a.dph_total - b.dph_total)
          .slice(0, typeof filter.limit === 'number' ? filter.limit : 64);
        return { status: 200, body: { offers } };
      }
      const ask = /^\/api\/v0\/asks\/(\d+)\/$/.exec(path);
      if (ask && method === 'PUT') {
        const request = (body ?? {}) as Record<string, unknown>;
        const offer = asks.find((candidate) => candidate.id === Number(ask[1]));
        const taken = [...instances.values()].some((instance) => instance.ask_id === offer?.id);
        if (!offer || taken || !offer.rentable) return { status: 400, body: { success: false, error: 'invalid_args', msg: `ask ${ask[1]} is not available` } };
        if (typeof request.image !== 'string' || request.runtype !== 'ssh_direct') {
          return { status: 400, body: { success: false, error: 'invalid_args', msg: 'image and runtype "ssh_direct" are required by this fake' } };
        }
        const env = Object.entries((request.env as Record<string, string> | undefined) ?? {}) as Array<[string, string]>;
        const instance: FakeVastInstance = {
          id: nextId++,
          label: typeof request.label === 'string' ? request.label : null,
          image: request.image,
          disk: typeof request.disk === 'number' ? request.disk : 10,
          actual_status: null,
          intended_status: 'running',
          public_ipaddr: null,
          ports: {},
          ssh_host: null,
          ssh_port: null,
          gpu_name: offer.gpu_name,
          num_gpus: offer.num_gpus,
          dph_total: offer.dph_total,
          extra_env: env,
          onstart: typeof request.onstart === 'string' ? request.onstart : '',
          ask_id: offer.id,
          pollsUntilReady: options.readyAfterPolls ?? 1,
          stuck: context.takeFault('stuck-provisioning', 'PUT', path) !== undefined,
        };
        instances.set(instance.id, instance);
        options.onCreate?.(instance);
        if (context.takeFault('create-500-after-create', 'PUT', path)) return { status: 500, body: { success: false, error: 'server_error', msg: 'Internal Server Error' } };
        return { status: 200, body: { success: true, new_contract: instance.id } };
      }
      if (path === '/api/v0/instances/' && method === 'GET') return { status: 200, body: { instances: [...instances.values()].map(view) } };
      const one = /^\/api\/v0\/instances\/(\d+)\/$/.exec(path);
      if (one) {
        const instance = instances.get(Number(one[1]));
        if (!instance) return { status: 404, body: { success: false, error: 'no_such_instance', msg: `instance ${one[1]} not found` } };
        if (method === 'DELETE') {
          instances.delete(instance.id);
          return { status: 200, body: { success: true } };
        }
        if (method === 'GET') {
          advance(instance, context.ssh());
          return { status: 200, body: { instances: view(instance) } };
        }
      }
      return { status: 404, body: { success: false, error: 'not_found', msg: `no route ${method} ${path}` } };
    },
  });
  return Object.assign(server, {
    settings: { apiKey: server.apiKey, baseURL: `${server.url}/api/v0` },
    instances: () => [...instances.values()].map((instance) => ({ ...instance })),
    loseInstance: (id: number | string) => void instances.delete(Number(id)),
    setInstanceStatus: (id: number | string, status: string | null) => {
      const instance = instances.get(Number(id));
      if (instance) instance.actual_status = status;
    },
  });
}

/** One lookup's worth of progress: null → loading → running with its ports. */
function advance(instance: FakeVastInstance, ssh: FakeSshEndpoint): void {
  if (instance.actual_status !== null && instance.actual_status !== 'loading') return;
  if (instance.pollsUntilReady > 0 || instance.stuck) {
    instance.pollsUntilReady = Math.max(0, instance.pollsUntilReady - 1);
    instance.actual_status = 'loading';
    return;
  }
  instance.actual_status = 'running';
  instance.public_ipaddr = ssh.host;
  instance.ports = { '22/tcp': [{ HostIp: '0.0.0.0', HostPort: String(ssh.port) }] };
  instance.ssh_host = ssh.host;
  instance.ssh_port = ssh.port;
}

/** Whether an ask passes a Vast filter body (`{ field: { eq|neq|gt|gte|lt|lte|in: value } }`). */
function passes(ask: Record<string, unknown>, filter: Record<string, unknown>): boolean {
  for (const [field, condition] of Object.entries(filter)) {
    if (['order', 'type', 'limit', 'allocated_storage'].includes(field) || typeof condition !== 'object' || condition === null) continue;
    const value = ask[field];
    for (const [operator, wanted] of Object.entries(condition as Record<string, unknown>)) {
      const ok =
        operator === 'eq' ? value === wanted
        : operator === 'neq' ? value !== wanted
        : operator === 'gt' ? (value as number) > (wanted as number)
        : operator === 'gte' ? (value as number) >= (wanted as number)
        : operator === 'lt' ? (value as number) < (wanted as number)
        : operator === 'lte' ? (value as number) <= (wanted as number)
        : operator === 'in' ? Array.isArray(wanted) && wanted.includes(value)
        : true;
      if (!ok) return false;
    }
  }
  return true;
}
