/** A seeded pseudo-random source: `next()` in [0, 1), `int(n)` in [0, n), `normal()` ~ N(0, 1). */
export interface Random {
  next(): number;
  int(bound: number): number;
  normal(): number;
}

/** Creates a deterministic generator (SplitMix32-seeded xoshiro128**) from an integer seed. */
export function createRandom(seed: number): Random {
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
  return {
    next,
    int: (bound) => Math.floor(next() * bound),
    normal: () => {
      // Box–Muller; 1 - next() keeps the logarithm finite
      const u = 1 - next();
      const v = next();
      return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
    },
  };
}

function rotl(x: number, k: number): number {
  return (x << k) | (x >>> (32 - k));
}
