import { CorpusProximityError } from '@corpus-proximity/core';
import { describe, expect, it } from 'vitest';
import { MissingApiKeyError, NoOfferError, ProviderError, ProviderTimeoutError } from './provider-error.js';

describe('ProviderError family', () => {
  it('each class recognizes its own errors and no other, across copies (Symbol.for markers)', () => {
    const base = new ProviderError('provider-api', 'x', { providerId: 'runpod', statusCode: 503, isRetryable: true });
    const missing = new MissingApiKeyError('vast', 'VAST_API_KEY');
    const timeout = new ProviderTimeoutError('late', { providerId: 'runpod', timeoutMs: 10, instanceId: 'p1' });
    const none = new NoOfferError('runpod', 'nothing');
    for (const error of [base, missing, timeout, none]) {
      expect(CorpusProximityError.isInstance(error)).toBe(true);
      expect(ProviderError.isInstance(error)).toBe(true);
    }
    expect([base, missing, timeout, none].map((error) => MissingApiKeyError.isInstance(error))).toEqual([false, true, false, false]);
    expect([base, missing, timeout, none].map((error) => ProviderTimeoutError.isInstance(error))).toEqual([false, false, true, false]);
    expect([base, missing, timeout, none].map((error) => NoOfferError.isInstance(error))).toEqual([false, false, false, true]);
    expect(ProviderError.isInstance(new CorpusProximityError('plugin', 'other'))).toBe(false);
    // A plain object carrying the shared marker counts: what another copy of the package throws.
    expect(ProviderError.isInstance({ [Symbol.for('corpus-proximity.provider-error')]: true })).toBe(true);
    expect(base).toMatchObject({ code: 'provider-api', statusCode: 503, isRetryable: true, providerId: 'runpod' });
    expect(missing.message).toBe('vast: no API key; set VAST_API_KEY or pass { apiKey } to the provider');
    expect(timeout).toMatchObject({ timeoutMs: 10, instanceId: 'p1', isRetryable: true, code: 'timeout' });
  });
});
