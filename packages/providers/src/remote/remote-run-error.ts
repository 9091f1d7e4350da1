import { CorpusProximityError } from '@corpus-proximity/core';

const marker = Symbol.for('corpus-proximity.remote-run-error');

/** Why a remote run stopped. */
export type RemoteRunErrorCode =
  | 'host-key-changed'
  | 'ssh-unreachable'
  | 'deadline'
  | 'aborted'
  | 'pipeline-failed'
  | 'install-failed'
  | 'remote-command-failed'
  | 'unsafe-path'
  | 'checksum-mismatch'
  | 'run-not-found'
  | 'ssh2-missing';

/** A remote run failed: what happened, on which step, and what to do (never a secret in the message). */
export class RemoteRunError extends CorpusProximityError {
  readonly [marker] = true;
  declare readonly code: RemoteRunErrorCode;
  /** The step it failed on: provision, ssh, upload, install, run, sync, terminate. */
  readonly step?: string;
  /** Exit code of the remote pipeline (code 'pipeline-failed'). */
  readonly exitCode?: number;

  constructor(code: RemoteRunErrorCode, message: string, options: { step?: string; exitCode?: number; cause?: unknown } = {}) {
    super(code, message, { cause: options.cause });
    this.name = 'RemoteRunError';
    this.step = options.step;
    this.exitCode = options.exitCode;
  }

  /** True for a RemoteRunError, even one from another copy of the package. */
  static isInstance(error: unknown): error is RemoteRunError {
    return typeof error === 'object' && error !== null && (error as Record<symbol, unknown>)[marker] === true;
  }
}
