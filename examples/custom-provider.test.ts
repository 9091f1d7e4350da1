import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { testGpuProvider } from '@corpus-proximity/providers/test';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startLocalSshd, type LocalSshd } from '../packages/providers/src/test-support/start-local-sshd.js';
import { createLabPoolProvider, main } from './custom-provider.js';

let sshd: LocalSshd;
let work: string;

beforeAll(async () => {
  sshd = await startLocalSshd();
  work = await mkdtemp(join(tmpdir(), 'corpus-proximity-lab-pool-'));
});
afterAll(async () => {
  await sshd.close();
  await rm(work, { recursive: true, force: true });
});

// The pool: the real sshd on 127.0.0.1, under two names (so two instances can be claimed at once).
const machines = () => [`root@127.0.0.1:${sshd.port}`, `root@localhost:${sshd.port}`];

testGpuProvider('examples/custom-provider (lab pool of real sshd hosts)', () => createLabPoolProvider({ machines: machines(), stateFile: join(work, 'claims.json') }), {
  readyTimeoutMs: 10_000,
});

describe('examples/custom-provider main', () => {
  it('claims a machine, reaches it over SSH, and releases it', async () => {
    const lines: string[] = [];
    const stateFile = join(work, 'main.json');
    expect(await main({ machines: machines(), stateFile, log: (line) => lines.push(line) })).toEqual({ username: 'root', host: '127.0.0.1', port: sshd.port });
    expect(lines[0]).toMatch(new RegExp(`^claimed demo-\\d+: ssh -p ${sshd.port} root@127\\.0\\.0\\.1$`));
    expect(await createLabPoolProvider({ machines: machines(), stateFile }).list('demo')).toEqual([]);
  });
});
