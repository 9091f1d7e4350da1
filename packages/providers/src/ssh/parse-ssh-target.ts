import { ProviderError } from '../provider-error.js';

/** An existing host as `user@host[:port]`. */
export interface SshTarget {
  username: string;
  host: string;
  port: number;
}

/**
 * Parses `[user@]host[:port]` (IPv6 as `[::1]:port`); the user defaults to `defaultUsername`.
 * Throws a ProviderError saying the expected form for anything else.
 */
export function parseSshTarget(target: string, defaults: { username?: string; port?: number } = {}): SshTarget {
  const text = target.trim();
  const match = /^(?:([A-Za-z0-9._][A-Za-z0-9._-]*)@)?(\[[0-9A-Fa-f:.]+\]|[A-Za-z0-9.-]+)(?::(\d{1,5}))?$/.exec(text);
  const fail = (why: string) =>
    new ProviderError('invalid-target', `ssh: "${target}" is not a host to use: ${why}; give user@host[:port], e.g. root@203.0.113.7:2222`, { providerId: 'ssh' });
  if (!match) throw fail('expected user@host[:port]');
  const username = match[1] ?? defaults.username;
  if (!username) throw fail('no user');
  const host = match[2]!.replace(/^\[(.*)\]$/, '$1');
  const port = match[3] !== undefined ? Number(match[3]) : (defaults.port ?? 22);
  if (!Number.isInteger(port) || port < 1 || port > 65_535) throw fail(`port ${match[3]} is out of range 1..65535`);
  return { username, host, port };
}

/** The canonical `user@host:port` form (IPv6 hosts in brackets), used as the instance id. */
export function formatSshTarget(target: SshTarget): string {
  return `${target.username}@${target.host.includes(':') ? `[${target.host}]` : target.host}:${target.port}`;
}
