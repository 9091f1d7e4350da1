import { CorpusProximityError } from '@corpus-proximity/core';

const namingMarker = Symbol.for('corpus-proximity.error.naming');

/** An LLM naming call failed (HTTP error, timeout, unusable answer); the tree driver then falls back. */
export class NamingError extends CorpusProximityError {
  readonly [namingMarker] = true;
  /** HTTP status of the failed call, when there was a response. */
  readonly statusCode?: number;
  /** Whether trying again later could succeed (429, 5xx, timeouts, dropped connections). */
  readonly isRetryable: boolean;
  /** The cluster being named. */
  readonly clusterId?: string;

  constructor(message: string, options: { statusCode?: number; isRetryable?: boolean; clusterId?: string } = {}) {
    super('naming', message);
    this.name = 'NamingError';
    this.statusCode = options.statusCode;
    this.isRetryable = options.isRetryable ?? false;
    this.clusterId = options.clusterId;
  }

  /** True for a NamingError, even one from another copy of the package. */
  static override isInstance(error: unknown): error is NamingError {
    return CorpusProximityError.hasMarker(error, namingMarker);
  }
}
