import { linkSync, readFileSync, rmSync, statSync, unlinkSync, writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';

/** Name of the lock file an `index` run keeps in its --output folder while it runs. */
export const OUTPUT_LOCK_FILE = '.corpus-proximity.lock';

/** Contents of the lock file: who is writing the folder. */
export interface OutputLockOwner {
  pid: number;
  host: string;
  started_at: string;
  command: string;
}

/** Another live run holds the --output folder. */
export class OutputLockedError extends Error {
  readonly owner: OutputLockOwner | undefined;
  constructor(message: string, owner: OutputLockOwner | undefined) {
    super(message);
    this.name = 'OutputLockedError';
    this.owner = owner;
  }
}

/** A held lock; `release` is idempotent and also runs on process exit (Ctrl-C included). */
export interface OutputLock {
  readonly path: string;
  release(): void;
}

/**
 * Takes the lock of `directory` (which must exist): creates `<directory>/.corpus-proximity.lock`
 * atomically (written to a temporary name, then hard-linked, so it is never seen half-written).
 * A lock left by a dead process on this host is taken over with a warning; a live one, or one from
 * another host, throws OutputLockedError naming its holder.
 */
export function acquireOutputLock(directory: string, options: { command: string; onWarning?: (message: string) => void }): OutputLock {
  const path = join(directory, OUTPUT_LOCK_FILE);
  const owner: OutputLockOwner = { pid: process.pid, host: hostname(), started_at: new Date().toISOString(), command: options.command };
  const temporary = join(directory, `.corpus-proximity.lock.tmp-${process.pid}`);
  writeFileSync(temporary, `${JSON.stringify(owner, null, 2)}\n`);
  try {
    for (let attempt = 0; ; attempt++) {
      try {
        linkSync(temporary, path);
        break;
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== 'EEXIST' || attempt > 2) throw error;
      }
      const holder = readOwner(path);
      if (holder === 'gone') continue;
      if (holder !== 'unreadable' && holder.pid === process.pid && holder.host === owner.host) break;
      if (holder !== 'unreadable' && holder.host === owner.host && !isAlive(holder.pid)) {
        options.onWarning?.(`taking over the stale lock ${path}: its run (pid ${holder.pid}, started ${holder.started_at}) is no longer running`);
        rmSync(path, { force: true });
        continue;
      }
      if (holder === 'unreadable') {
        throw new OutputLockedError(`${directory} is locked by ${path}, which is unreadable; if no other corpus-proximity run writes this folder, delete ${path} and run again`, undefined);
      }
      throw new OutputLockedError(
        `${directory} is being written by another run: pid ${holder.pid} on ${holder.host}, started ${holder.started_at} (${holder.command}). ` +
          `Wait for it to finish, or choose another --output.` +
          (holder.host === owner.host ? '' : ` If that run is gone, delete ${path}.`),
        holder,
      );
    }
  } finally {
    rmSync(temporary, { force: true });
  }
  let released = false;
  const release = () => {
    if (released) return;
    released = true;
    process.off('exit', release);
    // Only our own lock: never delete one another run took over.
    const holder = readOwner(path);
    if (holder !== 'gone' && holder !== 'unreadable' && holder.pid === process.pid && holder.host === owner.host) {
      try {
        unlinkSync(path);
      } catch {
        // already gone
      }
    }
  };
  process.on('exit', release);
  return { path, release };
}

function readOwner(path: string): OutputLockOwner | 'gone' | 'unreadable' {
  try {
    const value = JSON.parse(readFileSync(path, 'utf8')) as OutputLockOwner;
    if (typeof value.pid !== 'number' || typeof value.host !== 'string') return 'unreadable';
    return value;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return 'gone';
    return statSync(path, { throwIfNoEntry: false }) ? 'unreadable' : 'gone';
  }
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: alive but another user's.
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}
