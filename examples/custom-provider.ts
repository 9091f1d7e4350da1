/**
 * Write your own GPU provider: a GpuProviderV1 object literal for a fixed pool of lab machines.
 * `provision` claims a free machine (the claims live in a small JSON file), `terminate` releases
 * it, `waitReady` waits for its SSH banner with a deadline. The built-in conformance suite
 * (`testGpuProvider` from `@corpus-proximity/providers/test`) checks it: see custom-provider.test.ts.
 *
 * Run it (after `pnpm install && pnpm build`):
 *   cd examples && pnpm exec tsx custom-provider.ts user@host:port [more machines…]
 */
import { readFile, writeFile } from 'node:fs/promises';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { AbortedError } from '@corpus-proximity/core';
import { formatSshTarget, parseSshTarget, ProviderError, ProviderTimeoutError, type GpuInstance, type GpuProviderV1 } from '@corpus-proximity/providers';

interface Claim {
  machine: string;
  name: string;
  tag: string;
}

/** A provider that hands out machines from a fixed pool; `stateFile` records who holds which. */
export function createLabPoolProvider(settings: { machines: string[]; stateFile: string }): GpuProviderV1 {
  const machines = settings.machines.map((machine) => formatSshTarget(parseSshTarget(machine)));
  const read = async (): Promise<Claim[]> => JSON.parse(await readFile(settings.stateFile, 'utf8').catch(() => '[]')) as Claim[];
  const write = (claims: Claim[]) => writeFile(settings.stateFile, JSON.stringify(claims, null, 2));
  const toInstance = (claim: Claim): GpuInstance => ({ providerId: 'lab-pool', id: claim.machine, name: claim.name, tag: claim.tag, status: 'claimed', createdByTool: true });

  return {
    specificationVersion: 'gpu-provider-v1',
    providerId: 'lab-pool',

    async provision(request) {
      const claims = await read();
      if (claims.some((claim) => claim.name === request.name)) {
        throw new ProviderError('name-taken', `lab-pool: ${request.name} is already claimed; pick another name`, { providerId: 'lab-pool' });
      }
      const free = machines.find((machine) => !claims.some((claim) => claim.machine === machine));
      if (!free) throw new ProviderError('no-offer', `lab-pool: all ${machines.length} machines are claimed; terminate one or wait`, { providerId: 'lab-pool' });
      const claim = { machine: free, name: request.name, tag: request.tag };
      await write([...claims, claim]);
      return toInstance(claim);
    },

    async find(nameOrId) {
      const claim = (await read()).find((candidate) => candidate.name === nameOrId || candidate.machine === nameOrId);
      return claim ? toInstance(claim) : undefined;
    },

    async list(tag) {
      return (await read()).filter((claim) => claim.tag === tag).map(toInstance);
    },

    async waitReady(instance, { timeoutMs, pollMs = 1_000, abortSignal }) {
      const target = parseSshTarget(instance.id);
      const deadline = Date.now() + timeoutMs;
      while (Date.now() < deadline) {
        if (abortSignal?.aborted) throw new AbortedError(`lab-pool: waiting for ${instance.id} aborted`);
        if (await speaksSsh(target.host, target.port)) return target;
        await new Promise((done) => setTimeout(done, Math.min(pollMs, Math.max(0, deadline - Date.now()))));
      }
      throw new ProviderTimeoutError(`lab-pool: ${instance.id} did not answer over SSH within ${timeoutMs} ms`, { providerId: 'lab-pool', timeoutMs, instanceId: instance.id });
    },

    async terminate(instance) {
      // Releasing the claim is this pool's "destroy"; doing it twice is fine.
      await write((await read()).filter((claim) => claim.machine !== instance.id));
    },
  };
}

/** True when host:port greets with an SSH banner within a second. */
function speaksSsh(host: string, port: number): Promise<boolean> {
  return new Promise((done) => {
    const socket = connect({ host, port });
    const finish = (ok: boolean) => {
      socket.destroy();
      done(ok);
    };
    socket.setTimeout(1_000, () => finish(false));
    socket.once('data', (chunk: Buffer) => finish(chunk.toString('latin1').startsWith('SSH-')));
    socket.once('error', () => finish(false));
  });
}

/** Claims a machine, waits for it, prints its endpoint, and releases it. */
export async function main(options: { machines: string[]; stateFile?: string; log?: (line: string) => void }) {
  const log = options.log ?? console.log;
  const provider = createLabPoolProvider({ machines: options.machines, stateFile: options.stateFile ?? join(tmpdir(), 'lab-pool.json') });
  const instance = await provider.provision({ name: `demo-${Date.now()}`, tag: 'demo', gpuCount: 1, image: 'n/a', diskGb: 0, sshPublicKey: 'n/a' });
  try {
    const endpoint = await provider.waitReady(instance, { timeoutMs: 10_000 });
    log(`claimed ${instance.name}: ssh -p ${endpoint.port} ${endpoint.username}@${endpoint.host}`);
    return endpoint;
  } finally {
    await provider.terminate(instance);
    log(`released ${instance.id}`);
  }
}

if (process.argv[1] && pathToFileURL(resolve(process.argv[1])).href === import.meta.url) {
  const machines = process.argv.slice(2);
  if (machines.length === 0) {
    console.error(`usage: tsx ${fileURLToPath(import.meta.url)} user@host[:port] [more machines…]`);
    process.exit(2);
  }
  main({ machines }).catch((error: unknown) => {
    console.error(error instanceof Error ? error.message : String(error));
    process.exit(1);
  });
}
