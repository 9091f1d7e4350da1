import { randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sha256Bytes } from '@corpus-proximity/core/internal';
import { createReconnectingSsh } from './reconnecting-ssh.js';
import { syncIndex } from './sync-index.js';
import { hasSshdAndTmux, startTestSshd, type TestSshd } from './test-support/start-test-sshd.js';

const describeSsh = hasSshdAndTmux() ? describe : describe.skip;
const work = mkdtempSync(join(tmpdir(), 'cp-sync-'));

describeSsh('syncIndex over a real sshd', () => {
  let sshd: TestSshd;
  beforeAll(async () => {
    sshd = await startTestSshd();
  });
  afterAll(async () => {
    await sshd?.close();
    rmSync(work, { recursive: true, force: true });
  });

  it('resumes a file from its .partial after the connection is killed mid-transfer, downloading each byte once', async () => {
    const remote = join(work, 'remote');
    mkdirSync(join(remote, 'embedder'), { recursive: true });
    const big = randomBytes(24 * 1024 * 1024);
    writeFileSync(join(remote, 'embeddings.npy'), big);
    writeFileSync(join(remote, 'embedder', 'state.json'), '{"v":1}');
    const files = {
      'embeddings.npy': { sha256: sha256Bytes(big), bytes: big.length },
      'embedder/state.json': { sha256: sha256Bytes('{"v":1}'), bytes: 7 },
    };
    writeFileSync(join(remote, 'manifest.json'), JSON.stringify({ format: 'corpus-proximity-index', files }));
    const warnings: string[] = [];
    const ssh = createReconnectingSsh({
      endpoint: { host: sshd.host, port: sshd.port, username: sshd.username },
      privateKey: readFileSync(sshd.privateKeyPath),
      onRetry: (message) => warnings.push(message),
    });
    let dropped = false;
    let last = 0;
    try {
      await syncIndex(ssh, remote, join(work, 'local'), {
        onProgress: (done, _total, name) => {
          last = done;
          if (name === 'embeddings.npy' && done > 4 * 1024 * 1024 && !dropped) {
            dropped = true;
            sshd.dropConnections();
          }
        },
      });
    } finally {
      ssh.end();
    }
    expect(dropped).toBe(true);
    expect(warnings.some((message) => message.includes('dropped during syncing embeddings.npy'))).toBe(true);
    expect(readFileSync(join(work, 'local', 'embeddings.npy')).equals(big)).toBe(true);
    expect(readFileSync(join(work, 'local', 'embedder', 'state.json'), 'utf8')).toBe('{"v":1}');
    // Progress counts bytes written: exactly the total when nothing was downloaded twice.
    const total = big.length + 7 + readFileSync(join(remote, 'manifest.json')).length;
    expect(last).toBe(total);
  }, 120_000);
});
