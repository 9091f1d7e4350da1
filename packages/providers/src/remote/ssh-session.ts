import { open as openLocal, stat as statLocal } from 'node:fs/promises';
import type { Client, ClientChannel, SFTPWrapper } from 'ssh2';
import type { SshEndpoint } from '../gpu-provider-spec.js';
import { hostKeyFingerprint } from './host-key-fingerprint.js';
import { RemoteRunError } from './remote-run-error.js';

/** What a remote file is, from an SFTP stat. */
export interface RemoteStat {
  size: number;
  isFile: boolean;
  isDirectory: boolean;
}

/** One long-lived SSH connection with its SFTP channel. Always call end(). */
export interface SshSession {
  /** Fingerprint of the host key this connection accepted (`SHA256:…`). */
  readonly hostKey: string;
  /** Runs a command through the remote shell; the command line must be quoted by the caller and hold no secret. */
  exec(command: string, options?: { abortSignal?: AbortSignal }): Promise<{ code: number; stdout: string; stderr: string }>;
  stat(path: string): Promise<RemoteStat | undefined>;
  readFile(path: string, options?: { start?: number }): Promise<Buffer>;
  writeFile(path: string, data: string | Buffer, options?: { mode?: number }): Promise<void>;
  readdir(path: string): Promise<string[]>;
  /** Creates a folder and its missing parents. */
  mkdir(path: string): Promise<void>;
  /** Removes a file if present. */
  unlink(path: string): Promise<void>;
  /** Uploads a local file (parallel SFTP writes). */
  upload(localPath: string, remotePath: string): Promise<void>;
  /** Downloads in order into localPath, appending from its current size (a resumable `.partial`). */
  download(remotePath: string, localPath: string, options?: { onBytes?: (bytes: number) => void; onData?: (chunk: Buffer) => void }): Promise<void>;
  /** True once the connection closed (dropped or ended). */
  readonly closed: boolean;
  end(): void;
}

/** How to reach and trust the host. */
export interface ConnectSshOptions {
  endpoint: SshEndpoint;
  privateKey: Buffer | string;
  /** Pinned fingerprint: a different host key is refused (RemoteRunError 'host-key-changed'). Absent: trust on first use. */
  expectedHostKey?: string;
  timeoutMs?: number;
  abortSignal?: AbortSignal;
  /** Sees every command line sent (never holds a secret: those go in a 0600 file). */
  onCommand?: (command: string) => void;
}

const READ_CHUNK = 255 * 1024;
const READS_IN_FLIGHT = 16;

/** Opens an SSH connection and its SFTP channel (ssh2 is imported lazily). */
export async function connectSsh(options: ConnectSshOptions): Promise<SshSession> {
  const { Client } = await loadSsh2();
  const client: Client = new Client();
  let seenKey: string | undefined;
  let closed = false;
  const where = `${options.endpoint.username}@${options.endpoint.host}:${options.endpoint.port}`;
  try {
    await new Promise<void>((resolve, reject) => {
      const onAbort = () => reject(new RemoteRunError('aborted', `cancelled while connecting to ${where}`, { step: 'ssh' }));
      options.abortSignal?.addEventListener('abort', onAbort, { once: true });
      client.once('ready', () => {
        options.abortSignal?.removeEventListener('abort', onAbort);
        resolve();
      });
      client.once('error', (error) => {
        options.abortSignal?.removeEventListener('abort', onAbort);
        if (seenKey !== undefined && options.expectedHostKey !== undefined && seenKey !== options.expectedHostKey) {
          reject(
            new RemoteRunError(
              'host-key-changed',
              `${where} presented host key ${seenKey}, but this run pinned ${options.expectedHostKey}: refusing to connect (the instance may have been replaced, or someone is in the middle). If the host was rebuilt on purpose, start a new run.`,
              { step: 'ssh' },
            ),
          );
        } else reject(error);
      });
      client.connect({
        host: options.endpoint.host,
        port: options.endpoint.port,
        username: options.endpoint.username,
        privateKey: options.privateKey,
        readyTimeout: options.timeoutMs ?? 20_000,
        keepaliveInterval: 5_000,
        keepaliveCountMax: 3,
        hostVerifier: (key: Buffer) => {
          seenKey = hostKeyFingerprint(key);
          return options.expectedHostKey === undefined || seenKey === options.expectedHostKey;
        },
      });
    });
  } catch (error) {
    client.end();
    throw error;
  }
  client.on('close', () => (closed = true));
  client.on('error', () => (closed = true));
  let sftp: SFTPWrapper;
  try {
    sftp = await new Promise<SFTPWrapper>((resolve, reject) => client.sftp((error, channel) => (error ? reject(error) : resolve(channel))));
  } catch (error) {
    client.end();
    throw error;
  }
  return createSession(client, sftp, seenKey!, () => closed, options.onCommand);
}

function createSession(client: Client, sftp: SFTPWrapper, hostKey: string, isClosed: () => boolean, onCommand?: (command: string) => void): SshSession {
  // On a dropped connection ssh2 may never answer a close: skip it then, and never wait long.
  const closeHandle = async (handle: Buffer) => {
    if (isClosed()) return;
    await Promise.race([call((done) => sftp.close(handle, done)).catch(() => undefined), new Promise((resolve) => setTimeout(resolve, 5_000).unref())]);
  };
  const call = <T>(work: (callback: (error: Error | null | undefined, value?: T) => void) => void) =>
    new Promise<T>((resolve, reject) => work((error, value) => (error ? reject(error) : resolve(value as T))));
  return {
    hostKey,
    get closed() {
      return isClosed();
    },
    exec(command, options = {}) {
      onCommand?.(command);
      return new Promise((resolve, reject) => {
        client.exec(command, (error: Error | undefined, channel: ClientChannel) => {
          if (error) return reject(error);
          let stdout = '';
          let stderr = '';
          const onAbort = () => channel.close();
          options.abortSignal?.addEventListener('abort', onAbort, { once: true });
          channel.on('data', (data: Buffer) => (stdout += data.toString()));
          channel.stderr.on('data', (data: Buffer) => (stderr += data.toString()));
          channel.on('close', (code: number | null) => {
            options.abortSignal?.removeEventListener('abort', onAbort);
            if (options.abortSignal?.aborted) reject(new RemoteRunError('aborted', 'cancelled while a remote command ran'));
            else if (code === null || code === undefined) reject(new Error('the SSH connection closed while a remote command ran'));
            else resolve({ code, stdout, stderr });
          });
        });
      });
    },
    async stat(path) {
      try {
        const stats = await call<import('ssh2').Stats>((done) => sftp.stat(path, done));
        return { size: stats.size, isFile: stats.isFile(), isDirectory: stats.isDirectory() };
      } catch (error) {
        if ((error as { code?: number }).code === 2) return undefined; // SSH_FX_NO_SUCH_FILE
        throw error;
      }
    },
    async readFile(path, options = {}) {
      const handle = await call<Buffer>((done) => sftp.open(path, 'r', done));
      try {
        const parts: Buffer[] = [];
        let position = options.start ?? 0;
        for (;;) {
          const buffer = Buffer.alloc(READ_CHUNK);
          const read = await readAt(sftp, handle, buffer, position);
          if (read === 0) break;
          parts.push(buffer.subarray(0, read));
          position += read;
        }
        return Buffer.concat(parts);
      } finally {
        await closeHandle(handle);
      }
    },
    async writeFile(path, data, options = {}) {
      const handle = await call<Buffer>((done) => sftp.open(path, 'w', { mode: options.mode ?? 0o644 }, done));
      try {
        // A file that already existed keeps its mode on open; set it explicitly (secrets must be 0600).
        if (options.mode !== undefined) await call((done) => sftp.fchmod(handle, options.mode!, done));
        const bytes = typeof data === 'string' ? Buffer.from(data) : data;
        let position = 0;
        while (position < bytes.length) {
          const length = Math.min(READ_CHUNK, bytes.length - position);
          await call((done) => sftp.write(handle, bytes, position, length, position, done));
          position += length;
        }
      } finally {
        await closeHandle(handle);
      }
    },
    async readdir(path) {
      const entries = await call<{ filename: string }[]>((done) => sftp.readdir(path, done));
      return entries.map((entry) => entry.filename).sort();
    },
    async mkdir(path) {
      const parts = path.split('/');
      for (let i = 1; i <= parts.length; i++) {
        const prefix = parts.slice(0, i).join('/');
        if (prefix === '' || prefix === '.') continue;
        const stats = await this.stat(prefix);
        if (stats?.isDirectory) continue;
        await call((done) => sftp.mkdir(prefix, done)).catch(async (error) => {
          if (!(await this.stat(prefix))?.isDirectory) throw error;
        });
      }
    },
    async unlink(path) {
      await call((done) => sftp.unlink(path, done)).catch((error) => {
        if ((error as { code?: number }).code !== 2) throw error;
      });
    },
    upload(localPath, remotePath) {
      return call((done) => sftp.fastPut(localPath, remotePath, { concurrency: 32, chunkSize: READ_CHUNK }, done));
    },
    async download(remotePath, localPath, options = {}) {
      const start = (await statLocal(localPath).catch(() => undefined))?.size ?? 0;
      const handle = await call<Buffer>((done) => sftp.open(remotePath, 'r', done));
      const local = await openLocal(localPath, start > 0 ? 'a' : 'w');
      try {
        const size = (await call<import('ssh2').Stats>((done) => sftp.fstat(handle, done))).size;
        // Reads run in parallel but are written strictly in order, so the local file is always a prefix.
        const pending: Promise<Buffer>[] = [];
        let next = start;
        const request = () => {
          if (next >= size) return;
          const position = next;
          const length = Math.min(READ_CHUNK, size - position);
          next += length;
          const read = readExactly(sftp, handle, position, length);
          read.catch(() => undefined); // the first failure is thrown by the await below; the rest must not go unhandled
          pending.push(read);
        };
        for (let i = 0; i < READS_IN_FLIGHT; i++) request();
        while (pending.length > 0) {
          const chunk = await pending.shift()!;
          await local.write(chunk);
          options.onData?.(chunk);
          options.onBytes?.(chunk.length);
          request();
        }
      } finally {
        await local.close();
        await closeHandle(handle);
      }
    },
    end() {
      client.end();
    },
  };
}

function readAt(sftp: SFTPWrapper, handle: Buffer, buffer: Buffer, position: number): Promise<number> {
  return new Promise((resolve, reject) =>
    sftp.read(handle, buffer, 0, buffer.length, position, (error, bytesRead) => {
      if (error) return (error as { code?: number }).code === 1 ? resolve(0) : reject(error); // 1 = EOF
      resolve(bytesRead);
    }),
  );
}

async function readExactly(sftp: SFTPWrapper, handle: Buffer, position: number, length: number): Promise<Buffer> {
  const buffer = Buffer.allocUnsafe(length);
  let filled = 0;
  while (filled < length) {
    const read = await new Promise<number>((resolve, reject) =>
      sftp.read(handle, buffer, filled, length - filled, position + filled, (error, bytesRead) => (error ? reject(error) : resolve(bytesRead))),
    );
    if (read === 0) throw new Error(`remote file shrank while reading at byte ${position + filled}`);
    filled += read;
  }
  return buffer;
}

async function loadSsh2(): Promise<typeof import('ssh2')> {
  try {
    const module = (await import('ssh2')) as typeof import('ssh2') & { default?: typeof import('ssh2') };
    return module.Client ? module : module.default!;
  } catch (cause) {
    throw new RemoteRunError('ssh2-missing', 'remote runs need the ssh2 package: npm install ssh2', { cause });
  }
}
