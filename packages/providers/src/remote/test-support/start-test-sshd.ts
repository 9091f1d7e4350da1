import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync } from 'node:fs';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir, userInfo } from 'node:os';
import { join } from 'node:path';

/** A private sshd on 127.0.0.1 for tests, with its own host key and a test-generated client key. */
export interface TestSshd {
  host: '127.0.0.1';
  port: number;
  username: string;
  /** Path of the client's private key (ed25519, no passphrase). */
  privateKeyPath: string;
  /** Folder holding the config, keys and pid file. */
  directory: string;
  /** `user@127.0.0.1:port`, as `--use-existing` takes it. */
  target: string;
  /** Starts sshd again on the same port (after stop()). */
  start(): Promise<void>;
  /** Stops the listening sshd (open sessions keep their own child processes). */
  stop(): Promise<void>;
  /** Kills every sshd session child (drops open connections) but keeps listening. */
  dropConnections(): void;
  /** Replaces the host key (a "changed host key"); takes effect on the next start(). */
  regenerateHostKey(): Promise<void>;
  /** Stops sshd and removes its folder. */
  close(): Promise<void>;
}

/** Starts `/usr/sbin/sshd -D -e -f <config>` on a free port of 127.0.0.1 (see NOTES.md "SSH with a real sshd"). */
export async function startTestSshd(): Promise<TestSshd> {
  const directory = await mkdtemp(join(tmpdir(), 'cp-sshd-'));
  const username = userInfo().username;
  const hostKey = join(directory, 'host_ed25519');
  const privateKeyPath = join(directory, 'client_ed25519');
  keygen(hostKey);
  keygen(privateKeyPath);
  await writeFile(join(directory, 'authorized_keys'), await readFile(`${privateKeyPath}.pub`), { mode: 0o600 });
  const port = await freePort();
  const config = [
    'ListenAddress 127.0.0.1',
    `Port ${port}`,
    `HostKey ${hostKey}`,
    `AuthorizedKeysFile ${join(directory, 'authorized_keys')}`,
    `PidFile ${join(directory, 'sshd.pid')}`,
    'StrictModes no',
    'UsePAM no',
    'PasswordAuthentication no',
    'KbdInteractiveAuthentication no',
    'PermitRootLogin prohibit-password',
    'Subsystem sftp internal-sftp',
    'LogLevel ERROR',
    'MaxStartups 50',
  ].join('\n');
  await writeFile(join(directory, 'sshd_config'), `${config}\n`);
  if (process.getuid?.() === 0 && !existsSync('/run/sshd')) mkdirSync('/run/sshd', { recursive: true });
  let child: ChildProcess | undefined;

  const start = async () => {
    const started = spawn('/usr/sbin/sshd', ['-D', '-e', '-f', join(directory, 'sshd_config')], { stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    started.stderr?.on('data', (data: Buffer) => (stderr += data.toString()));
    child = started;
    await waitForPort(port, () => (started.exitCode !== null ? `sshd exited: ${stderr}` : undefined));
  };
  const stop = async () => {
    const running = child;
    child = undefined;
    if (running === undefined || running.exitCode !== null) return;
    const exited = new Promise((resolve) => running.once('exit', resolve));
    running.kill('SIGTERM');
    await exited;
  };
  await start();
  const dropConnections = () => {
    // Every session process descends from the listener (privileged and network halves): kill that
    // whole subtree by pid, never by name. tmux daemonizes away from it, so remote pipelines survive.
    if (child?.pid === undefined) return;
    const descendants: string[] = [];
    let parents = [String(child.pid)];
    while (parents.length > 0) {
      const found = parents.flatMap((pid) => (spawnSync('pgrep', ['-P', pid], { encoding: 'utf8' }).stdout ?? '').split('\n').filter(Boolean));
      descendants.push(...found);
      parents = found;
    }
    if (descendants.length > 0) spawnSync('kill', ['-KILL', ...descendants]);
  };
  return {
    host: '127.0.0.1',
    port,
    username,
    privateKeyPath,
    directory,
    target: `${username}@127.0.0.1:${port}`,
    start,
    stop,
    dropConnections,
    async regenerateHostKey() {
      await rm(hostKey, { force: true });
      await rm(`${hostKey}.pub`, { force: true });
      keygen(hostKey);
    },
    async close() {
      dropConnections();
      await stop();
      await rm(directory, { recursive: true, force: true });
    },
  };
}

/** True when sshd and tmux are installed (the remote tests need both). */
export function hasSshdAndTmux(): boolean {
  return existsSync('/usr/sbin/sshd') && spawnSync('tmux', ['-V']).status === 0;
}

function keygen(path: string): void {
  const result = spawnSync('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-C', 'corpus-proximity-test', '-f', path]);
  if (result.status !== 0) throw new Error(`ssh-keygen failed: ${result.stderr.toString()}`);
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => (typeof address === 'object' && address !== null ? resolve(address.port) : reject(new Error('no port'))));
    });
  });
}

async function waitForPort(port: number, failed: () => string | undefined): Promise<void> {
  const deadline = Date.now() + 10_000;
  const { connect } = await import('node:net');
  while (Date.now() < deadline) {
    const problem = failed();
    if (problem) throw new Error(problem);
    const open = await new Promise<boolean>((resolve) => {
      const socket = connect(port, '127.0.0.1');
      socket.once('connect', () => {
        socket.destroy();
        resolve(true);
      });
      socket.once('error', () => resolve(false));
    });
    if (open) return;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error(`sshd did not listen on 127.0.0.1:${port} within 10 s`);
}
