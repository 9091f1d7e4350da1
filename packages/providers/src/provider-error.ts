import { CorpusProximityError } from '@corpus-proximity/core';

const providerMarker = Symbol.for('corpus-proximity.provider-error');
const missingKeyMarker = Symbol.for('corpus-proximity.provider-error.missing-api-key');
const timeoutMarker = Symbol.for('corpus-proximity.provider-error.timeout');
const noOfferMarker = Symbol.for('corpus-proximity.provider-error.no-offer');

/** What kind of provider failure this is. */
export type ProviderErrorCode =
  | 'provider-api'
  | 'authentication'
  | 'unexpected-response'
  | 'missing-api-key'
  | 'no-offer'
  | 'timeout'
  | 'instance-failed'
  | 'name-taken'
  | 'invalid-target'
  | 'invalid-request'
  | 'not-supported'
  | 'unknown-provider';

/** A GPU provider call failed (HTTP error, bad answer, deadline); never carries an API key. */
export class ProviderError extends CorpusProximityError {
  readonly [providerMarker] = true;
  declare readonly code: ProviderErrorCode;
  /** Provider id, e.g. "runpod". */
  readonly providerId: string;
  /** HTTP status of the failed call, when there was a response. */
  readonly statusCode?: number;
  /** Whether trying again later could succeed (429, 5xx, dropped connections). */
  readonly isRetryable: boolean;
  /** The instance concerned, when there is one. */
  readonly instanceId?: string;

  constructor(
    code: ProviderErrorCode,
    message: string,
    options: { providerId: string; statusCode?: number; isRetryable?: boolean; instanceId?: string; cause?: unknown },
  ) {
    super(code, message, { cause: options.cause });
    this.name = 'ProviderError';
    this.providerId = options.providerId;
    this.statusCode = options.statusCode;
    this.isRetryable = options.isRetryable ?? false;
    this.instanceId = options.instanceId;
  }

  /** True for any provider error, even one from another copy of the package. */
  static override isInstance(error: unknown): error is ProviderError {
    return hasMarker(error, providerMarker);
  }
}

/** No API key in the settings nor in the environment variable the provider reads. */
export class MissingApiKeyError extends ProviderError {
  readonly [missingKeyMarker] = true;
  /** The environment variable that was read, e.g. "RUNPOD_API_KEY". */
  readonly envVar: string;
  constructor(providerId: string, envVar: string) {
    super('missing-api-key', `${providerId}: no API key; set ${envVar} or pass { apiKey } to the provider`, { providerId });
    this.name = 'MissingApiKeyError';
    this.envVar = envVar;
  }

  /** True only for a missing-key error. */
  static override isInstance(error: unknown): error is MissingApiKeyError {
    return hasMarker(error, missingKeyMarker);
  }
}

/** A wait (instance start, SSH reachability) ran past its deadline. */
export class ProviderTimeoutError extends ProviderError {
  readonly [timeoutMarker] = true;
  /** The deadline that passed, in milliseconds. */
  readonly timeoutMs: number;
  constructor(message: string, options: { providerId: string; timeoutMs: number; instanceId?: string }) {
    super('timeout', message, { providerId: options.providerId, instanceId: options.instanceId, isRetryable: true });
    this.name = 'ProviderTimeoutError';
    this.timeoutMs = options.timeoutMs;
  }

  /** True only for a deadline error. */
  static override isInstance(error: unknown): error is ProviderTimeoutError {
    return hasMarker(error, timeoutMarker);
  }
}

/** No offer meets the request (GPU type, VRAM, RAM, disk, max price). */
export class NoOfferError extends ProviderError {
  readonly [noOfferMarker] = true;
  constructor(providerId: string, message: string) {
    super('no-offer', message, { providerId });
    this.name = 'NoOfferError';
  }

  /** True only for a no-offer error. */
  static override isInstance(error: unknown): error is NoOfferError {
    return hasMarker(error, noOfferMarker);
  }
}

function hasMarker(error: unknown, marker: symbol): boolean {
  return typeof error === 'object' && error !== null && (error as Record<symbol, unknown>)[marker] === true;
}
