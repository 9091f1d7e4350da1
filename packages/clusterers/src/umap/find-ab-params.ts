/**
 * Fits UMAP's low-dimensional similarity 1 / (1 + a·x^(2b)) to the target curve
 * (1 for x < minDist, exp(−(x − minDist)/spread) beyond) on 300 points of [0, 3·spread],
 * by Levenberg–Marquardt least squares from (1, 1), as umap-learn's find_ab_params does with SciPy.
 */
export function findAbParams(spread: number, minDist: number): { a: number; b: number } {
  const count = 300;
  const xs = new Float64Array(count);
  const ys = new Float64Array(count);
  for (let i = 0; i < count; i++) {
    const x = (3 * spread * i) / (count - 1);
    xs[i] = x;
    ys[i] = x < minDist ? 1 : Math.exp(-(x - minDist) / spread);
  }
  const residual = (a: number, b: number): number => {
    let sum = 0;
    for (let i = 0; i < count; i++) {
      const r = 1 / (1 + a * Math.pow(xs[i] as number, 2 * b)) - (ys[i] as number);
      sum += r * r;
    }
    return sum;
  };
  let a = 1;
  let b = 1;
  let damping = 1e-3;
  let current = residual(a, b);
  for (let iteration = 0; iteration < 500; iteration++) {
    // normal equations JᵀJ δ = −Jᵀr for the two parameters
    let jaa = 0;
    let jab = 0;
    let jbb = 0;
    let ga = 0;
    let gb = 0;
    for (let i = 0; i < count; i++) {
      const x = xs[i] as number;
      if (x === 0) continue;
      const power = Math.pow(x, 2 * b);
      const denominator = 1 + a * power;
      const f = 1 / denominator;
      const r = f - (ys[i] as number);
      const da = -power / (denominator * denominator);
      const db = (-a * power * 2 * Math.log(x)) / (denominator * denominator);
      jaa += da * da;
      jab += da * db;
      jbb += db * db;
      ga += da * r;
      gb += db * r;
    }
    const maa = jaa * (1 + damping);
    const mbb = jbb * (1 + damping);
    const determinant = maa * mbb - jab * jab;
    if (determinant === 0) break;
    const stepA = -(mbb * ga - jab * gb) / determinant;
    const stepB = -(maa * gb - jab * ga) / determinant;
    const candidate = residual(a + stepA, b + stepB);
    if (candidate < current) {
      const improvement = current - candidate;
      a += stepA;
      b += stepB;
      current = candidate;
      damping = Math.max(damping / 10, 1e-12);
      if (improvement < 1e-15 * Math.max(1, current) && Math.abs(stepA) + Math.abs(stepB) < 1e-12) break;
    } else {
      damping *= 10;
      if (damping > 1e12) break;
    }
  }
  return { a, b };
}
