import { createRandom } from '@corpus-proximity/core/internal';

/** A seeded standard-normal generator (mulberry32 + Box–Muller): same seed, same sequence, on every platform. */
export function createSeededGaussian(seed: number): () => number {
  const uniform = createRandom(seed);
  let spare: number | undefined;
  return () => {
    if (spare !== undefined) {
      const value = spare;
      spare = undefined;
      return value;
    }
    const u = 1 - uniform(); // (0, 1], so the logarithm is finite
    const v = uniform();
    const radius = Math.sqrt(-2 * Math.log(u));
    spare = radius * Math.sin(2 * Math.PI * v);
    return radius * Math.cos(2 * Math.PI * v);
  };
}
