import { abortableSleep } from '@corpus-proximity/core/internal';
import type { SshEndpoint } from '../gpu-provider-spec.js';
import { connectSsh, type SshSession } from './ssh-session.js';
import { RemoteRunError } from './remote-run-error.js';

/** One SSH connection at a time, reopened with backoff when it drops; the host key stays pinned. */
export interface ReconnectingSsh {
  /** The open session (connecting first if there is none or it dropped). */
  session(): Promise<SshSession>;
  /** Runs work on the session; when the connection drops, reconnects with backoff and runs it again (work must be resumable). */
  retry<T>(work: (session: SshSession) => Promise<T>, what: string): Promise<T>;
  /** Pinned host key (set on the first connection when none was given). */
  readonly hostKey: string | undefined;
  end(): void;
}

/** Settings of the connection and its retries. */
export interface ReconnectingSshOptions {
  endpoint: SshEndpoint;
  privateKey: Buffer | string;
  hostKey?: string;
  /** Called once with the host key trusted on first use. */
  onHostKey?: (fingerprint: string) => void | Promise<void>;
  /** Gives up reconnecting after this long without a connection. */
  reconnectForMs?: number;
  abortSignal?: AbortSignal;
  onRetry?: (message: string) => void;
  onCommand?: (command: string) => void;
}

/** Creates the reconnecting connection (connects lazily). */
export function createReconnectingSsh(options: ReconnectingSshOptions): ReconnectingSsh {
  let current: SshSession | undefined;
  let hostKey = options.hostKey;
  const connect = async (): Promise<SshSession> => {
    const deadline = Date.now() + (options.reconnectForMs ?? 120_000);
    let delay = 250;
    for (let attempt = 1; ; attempt++) {
      if (options.abortSignal?.aborted) throw new RemoteRunError('aborted', 'cancelled while connecting over SSH', { step: 'ssh' });
      try {
        const session = await connectSsh({ endpoint: options.endpoint, privateKey: options.privateKey, expectedHostKey: hostKey, abortSignal: options.abortSignal, onCommand: options.onCommand });
        if (hostKey === undefined) {
          hostKey = session.hostKey;
          await options.onHostKey?.(session.hostKey);
        }
        return session;
      } catch (error) {
        if (RemoteRunError.isInstance(error) && (error.code === 'host-key-changed' || error.code === 'aborted' || error.code === 'ssh2-missing')) throw error;
        if (isAuthenticationFailure(error)) {
          throw new RemoteRunError('ssh-unreachable', `${where(options)} refused the SSH key (${(error as Error).message}); check --ssh-key and that its public key is authorized on the host`, {
            step: 'ssh',
            cause: error,
          });
        }
        if (Date.now() + delay > deadline) {
          throw new RemoteRunError('ssh-unreachable', `could not connect to ${where(options)} over SSH after ${attempt} attempts: ${(error as Error).message}`, { step: 'ssh', cause: error });
        }
        options.onRetry?.(`SSH to ${where(options)} failed (${(error as Error).message}); retrying in ${(delay / 1000).toFixed(1)}s`);
        await sleep(delay, options.abortSignal);
        delay = Math.min(delay * 2, 5_000);
      }
    }
  };
  const api: ReconnectingSsh = {
    get hostKey() {
      return hostKey;
    },
    async session() {
      if (current === undefined || current.closed) {
        if (current !== undefined) options.onRetry?.('SSH connection dropped; reconnecting');
        current?.end();
        current = undefined;
        current = await connect();
      }
      return current;
    },
    async retry(work, what) {
      for (;;) {
        const session = await api.session();
        try {
          return await work(session);
        } catch (error) {
          if (options.abortSignal?.aborted) throw new RemoteRunError('aborted', `cancelled during ${what}`);
          // Only a dropped connection is retried; a remote error on a live connection is real.
          await sleep(100);
          if (!session.closed) throw error;
          options.onRetry?.(`SSH connection dropped during ${what}; reconnecting and resuming`);
        }
      }
    },
    end() {
      current?.end();
      current = undefined;
    },
  };
  return api;
}

/** Waits ms (rejects with an 'aborted' RemoteRunError when the signal fires). */
export function sleep(ms: number, abortSignal?: AbortSignal): Promise<void> {
  return abortableSleep(ms, abortSignal, () => new RemoteRunError('aborted', 'cancelled'));
}

function where(options: ReconnectingSshOptions): string {
  return `${options.endpoint.username}@${options.endpoint.host}:${options.endpoint.port}`;
}

function isAuthenticationFailure(error: unknown): boolean {
  return (error as { level?: string }).level === 'client-authentication';
}
