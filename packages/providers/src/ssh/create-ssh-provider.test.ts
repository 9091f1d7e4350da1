import { createServer } from 'node:net';
import { describe, expect, it } from 'vitest';
import { ProviderError, ProviderTimeoutError } from '../provider-error.js';
import { createSshProvider } from './create-ssh-provider.js';
import { formatSshTarget, parseSshTarget } from './parse-ssh-target.js';

describe('parseSshTarget', () => {
  it('parses user@host[:port], IPv6 in brackets, and a bare host with the default user', () => {
    expect(parseSshTarget('ubuntu@203.0.113.7:2222')).toEqual({ username: 'ubuntu', host: '203.0.113.7', port: 2222 });
    expect(parseSshTarget('root@gpu-box.example.com')).toEqual({ username: 'root', host: 'gpu-box.example.com', port: 22 });
    expect(parseSshTarget('me@[::1]:2200')).toEqual({ username: 'me', host: '::1', port: 2200 });
    expect(parseSshTarget('gpu-box', { username: 'root' })).toEqual({ username: 'root', host: 'gpu-box', port: 22 });
    expect(formatSshTarget({ username: 'me', host: '::1', port: 2200 })).toBe('me@[::1]:2200');
  });

  it('rejects anything else with the expected form in the message', () => {
    for (const bad of ['root@host:99999', 'root@', 'a b@host', 'root@host;rm -rf /', 'root@host:22:33', '']) {
      const error = (() => {
        try {
          parseSshTarget(bad, { username: 'root' });
        } catch (caught) {
          return caught;
        }
      })();
      expect(ProviderError.isInstance(error), bad).toBe(true);
      expect((error as Error).message).toMatch(/user@host\[:port\]/);
    }
  });
});

describe('createSshProvider', () => {
  it('refuses to provision and points at --use-existing', async () => {
    const error = await createSshProvider()
      .provision({ name: 'x', tag: 't', gpuCount: 1, image: 'i', diskGb: 1, sshPublicKey: 'k' })
      .catch((caught: unknown) => caught);
    expect(error).toMatchObject({ code: 'not-supported', providerId: 'ssh' });
    expect((error as Error).message).toMatch(/--use-existing user@host\[:port\]/);
  });

  it('finds a host as an instance it did not create, and terminate leaves it running, saying so', async () => {
    const ssh = createSshProvider();
    const instance = await ssh.find('ubuntu@127.0.0.1:2222');
    expect(instance).toEqual({ providerId: 'ssh', id: 'ubuntu@127.0.0.1:2222', name: 'ubuntu@127.0.0.1:2222', status: 'existing', createdByTool: false });
    const messages: string[] = [];
    await ssh.terminate(instance!, { onProgress: (event) => messages.push(event.message ?? '') });
    expect(messages).toEqual(['ssh: ubuntu@127.0.0.1:2222 is an existing machine; left running (nothing to destroy)']);
    expect(await ssh.list('corpus-proximity')).toEqual([]);
  });

  it('gives up at the deadline when nothing speaks SSH on the port', async () => {
    // A listener that accepts and stays silent: reachable over TCP, but no SSH banner.
    const sockets = new Set<import('node:net').Socket>();
    const silent = createServer((socket) => {
      sockets.add(socket);
      socket.on('error', () => undefined);
    });
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    const port = (silent.address() as { port: number }).port;
    try {
      const ssh = createSshProvider({ sshProbeTimeoutMs: 100 });
      const instance = (await ssh.find(`root@127.0.0.1:${port}`))!;
      const started = Date.now();
      const error = await ssh.waitReady(instance, { timeoutMs: 500, pollMs: 50 }).catch((caught: unknown) => caught);
      expect(ProviderTimeoutError.isInstance(error)).toBe(true);
      expect((error as Error).message).toMatch(new RegExp(`root@127\\.0\\.0\\.1:${port} did not answer with an SSH banner within 500 ms`));
      expect(Date.now() - started).toBeLessThan(2_500);
    } finally {
      for (const socket of sockets) socket.destroy();
      await new Promise((resolve) => silent.close(resolve));
    }
  });
});
