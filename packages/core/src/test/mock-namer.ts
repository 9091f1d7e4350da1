import type { NamerV1, NamingRequest } from '../specs.js';

/** A namer for tests that records its requests and names a cluster after its most frequent long word. */
export function createMockNamer(): NamerV1 & { requests: NamingRequest[] } {
  const requests: NamingRequest[] = [];
  return {
    specificationVersion: 'namer-v1',
    id: 'mock',
    requests,
    async doName(request) {
      requests.push(request);
      const counts = new Map<string, number>();
      for (const text of request.texts) {
        for (const word of text.toLowerCase().match(/[a-z]{5,}/g) ?? []) counts.set(word, (counts.get(word) ?? 0) + 1);
      }
      const ranked = [...counts.entries()].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0])).map(([word]) => word);
      const word = ranked.find((candidate) => !request.siblingNames.includes(`Mock ${candidate}`)) ?? request.clusterId;
      return { name: `Mock ${word}`, description: `Chunks about ${word}.` };
    },
  };
}
