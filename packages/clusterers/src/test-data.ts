import { createRandomSource } from '@corpus-proximity/core/internal';

/** Seeded isotropic Gaussian blobs for tests and benchmarks: `size` points per centre, labels = centre index. */
export function gaussianBlobs(options: { centers: number[][]; size: number; spread: number; seed: number }): { points: Float32Array[]; labels: Int32Array } {
  const random = createRandomSource(options.seed);
  const points: Float32Array[] = [];
  const labels: number[] = [];
  options.centers.forEach((center, label) => {
    for (let i = 0; i < options.size; i++) {
      points.push(Float32Array.from(center, (value) => value + options.spread * random.normal()));
      labels.push(label);
    }
  });
  return { points, labels: Int32Array.from(labels) };
}
