import type { ProgressListener } from '@corpus-proximity/core';
import { ProviderError } from '../provider-error.js';

/**
 * Rents from the cheapest offer, moving to the next one when the provider refuses it (sold out,
 * taken since the search). `rent` must only fail when nothing was created (createWithoutLeaks
 * guarantees that), so moving on never leaves an instance behind.
 */
export async function tryOffers<Offer extends { id: string; pricePerHour: number }, T>(
  offers: Offer[],
  rent: (offer: Offer) => Promise<T>,
  options: { providerId: string; maxOffers?: number; onProgress?: ProgressListener; abortSignal?: AbortSignal },
): Promise<T> {
  const tried = offers.slice(0, Math.max(1, options.maxOffers ?? 3));
  for (const [index, offer] of tried.entries()) {
    try {
      return await rent(offer);
    } catch (error) {
      const refused = ProviderError.isInstance(error) && error.code === 'provider-api' && error.statusCode !== undefined;
      if (!refused || index === tried.length - 1 || options.abortSignal?.aborted) throw error;
      options.onProgress?.({ stage: 'provision', done: 0, message: `${options.providerId}: offer ${offer.id} refused (${error.message}); trying the next cheapest` });
    }
  }
  throw new Error('unreachable: no offer tried');
}
