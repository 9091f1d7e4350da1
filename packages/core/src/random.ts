/** A seeded PRNG (mulberry32) returning floats in [0, 1); same seed, same sequence. */
export function createRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Derives a 32-bit seed from a base seed and a string (e.g. a cluster id), stable across runs. */
export function deriveSeed(seed: number, key: string): number {
  let hash = (seed ^ 0x811c9dc5) >>> 0;
  for (let i = 0; i < key.length; i++) hash = Math.imul(hash ^ key.charCodeAt(i), 0x01000193) >>> 0;
  return hash;
}

/** Shuffles an array in place with a seeded PRNG (Fisher–Yates) and returns it. */
export function shuffleInPlace<T>(items: T[], random: () => number): T[] {
  for (let i = items.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    const swap = items[i]!;
    items[i] = items[j]!;
    items[j] = swap;
  }
  return items;
}

/**
 * Seeded standard-normal samples (Box–Muller) from a uniform source in [0, 1); the one Gaussian
 * sampler of the project. With `pairs`, the second value of each Box–Muller pair (sine) is kept
 * and returned next, halving the uniform draws; without it, each call draws two uniforms.
 */
export function createGaussian(uniform: () => number, options: { pairs?: boolean } = {}): () => number {
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
    if (options.pairs) spare = radius * Math.sin(2 * Math.PI * v);
    return radius * Math.cos(2 * Math.PI * v);
  };
}

/** A seeded pseudo-random source: `next()` in [0, 1), `int(n)` in [0, n), `normal()` ~ N(0, 1). */
export interface RandomSource {
  next(): number;
  int(bound: number): number;
  normal(): number;
}

/**
 * A deterministic generator (SplitMix32-seeded xoshiro128**) from an integer seed, used by the
 * clusterers (UMAP/HDBSCAN); a different sequence from createRandom's mulberry32, kept so seeded
 * clusterer results stay bit-identical.
 */
export function createRandomSource(seed: number): RandomSource {
  let state = (Math.floor(seed) | 0) >>> 0;
  const splitmix = (): number => {
    state = (state + 0x9e3779b9) | 0;
    let z = state;
    z = Math.imul(z ^ (z >>> 16), 0x85ebca6b);
    z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35);
    return (z ^ (z >>> 16)) >>> 0;
  };
  let a = splitmix();
  let b = splitmix();
  let c = splitmix();
  let d = splitmix();
  const nextUint = (): number => {
    const result = Math.imul(rotl(Math.imul(b, 5), 7), 9) >>> 0;
    const t = b << 9;
    c ^= a;
    d ^= b;
    b ^= c;
    a ^= d;
    c ^= t;
    d = rotl(d, 11);
    return result;
  };
  const next = (): number => nextUint() / 4294967296;
  return { next, int: (bound) => Math.floor(next() * bound), normal: createGaussian(next) };
}

function rotl(x: number, k: number): number {
  return (x << k) | (x >>> (32 - k));
}
