// Seeded synthetic data for the clustering benchmarks (no dependencies).

/** mulberry32: a tiny seeded PRNG returning [0, 1). */
export function seeded(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** `clusters` Gaussian blobs of unequal size and spread in `dims` dimensions, plus `noise` uniform points; rows flat. */
export function blobs({ n, dims, clusters, seed = 1, noiseFraction = 0.05, normalize = false, spread = 1, box = 10 }) {
  const random = seeded(seed);
  const gaussian = () => Math.sqrt(-2 * Math.log(1 - random())) * Math.cos(2 * Math.PI * random());
  const centers = Array.from({ length: clusters }, () => Array.from({ length: dims }, () => (random() * 2 - 1) * box));
  const weights = Array.from({ length: clusters }, () => 0.3 + random());
  const total = weights.reduce((a, b) => a + b, 0);
  const data = new Float32Array(n * dims);
  const truth = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    const row = data.subarray(i * dims, (i + 1) * dims);
    if (random() < noiseFraction) {
      for (let t = 0; t < dims; t++) row[t] = (random() * 2 - 1) * box * 1.2;
      truth[i] = -1;
    } else {
      let pick = random() * total;
      let c = 0;
      while (c < clusters - 1 && (pick -= weights[c]) > 0) c++;
      const scale = spread * (0.5 + ((c * 7919) % 10) / 10);
      for (let t = 0; t < dims; t++) row[t] = centers[c][t] + scale * gaussian();
      truth[i] = c;
    }
    if (normalize) {
      let s = 0;
      for (let t = 0; t < dims; t++) s += row[t] * row[t];
      s = Math.sqrt(s) || 1;
      for (let t = 0; t < dims; t++) row[t] /= s;
    }
  }
  return { data, rows: n, cols: dims, truth };
}
