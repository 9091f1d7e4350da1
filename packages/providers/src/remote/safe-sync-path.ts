import { lstat, realpath } from 'node:fs/promises';
import { dirname, isAbsolute, join, relative, sep } from 'node:path';
import { RemoteRunError } from './remote-run-error.js';

/**
 * Checks a path named by the remote (a manifest entry, a shard) before anything is written locally:
 * refuses absolute paths, `..`, empty or odd parts, and any path that resolves outside `target`
 * through a symlink already there. Returns the local path to write.
 */
export async function safeSyncPath(target: string, name: string): Promise<string> {
  const refuse = (why: string) =>
    new RemoteRunError('unsafe-path', `refusing to sync "${name}" into ${target}: ${why}. The remote index folder is not trustworthy; inspect it before syncing again.`, {
      step: 'sync',
    });
  if (name.length === 0 || name.includes('\0')) throw refuse('empty name or NUL byte');
  if (isAbsolute(name) || name.startsWith('/') || name.startsWith('\\') || /^[A-Za-z]:/.test(name)) throw refuse('the path is absolute');
  const parts = name.split(/[\\/]/);
  if (parts.some((part) => part === '..')) throw refuse('the path contains ".."');
  if (parts.some((part) => part === '' || part === '.')) throw refuse('the path has an empty or "." part');
  const root = await realpath(target);
  const local = join(target, ...parts);
  // Every existing parent (and the file itself) must stay inside the target once symlinks are resolved.
  let probe = local;
  for (;;) {
    const info = await lstat(probe).catch(() => undefined);
    if (info !== undefined) {
      const resolved = await realpath(probe).catch(() => undefined);
      if (resolved === undefined) throw refuse('it goes through a dangling symlink');
      if (resolved !== root && !resolved.startsWith(root + sep)) throw refuse(`it resolves to ${resolved}, outside the target, through a symlink`);
    }
    const parent = dirname(probe);
    if (parent === probe || relative(target, parent).startsWith('..') || relative(target, parent) === '') break;
    probe = parent;
  }
  return local;
}
