import { createRandom } from '../random.js';
import type { ClustererV1 } from '../specs.js';

/**
 * A small seeded k-means clusterer for tests: farthest-point seeding adds centers (2 to 4) while
 * some point is farther than 0.5 from every center; clusters smaller than minClusterSize become noise (−1).
 */
export function createMockClusterer(): ClustererV1 & { calls: Array<{ size: number; depth: number; minClusterSize: number }> } {
  const calls: Array<{ size: number; depth: number; minClusterSize: number }> = [];
  return {
    specificationVersion: 'clusterer-v1',
    id: 'mock-kmeans',
    calls,
    async doCluster({ vectors, depth, seed, minClusterSize }) {
      calls.push({ size: vectors.length, depth, minClusterSize });
      const n = vectors.length;
      const labels = new Int32Array(n).fill(-1);
      const maxK = Math.min(4, Math.floor(n / minClusterSize));
      if (maxK < 2) return { labels };
      const random = createRandom(seed);
      const dimension = vectors[0]!.length;
      // k-means++-style seeding by farthest point, then Lloyd iterations.
      const centers: Float32Array[] = [Float32Array.from(vectors[Math.floor(random() * n)]!)];
      while (centers.length < maxK) {
        let best = 0;
        let bestDistance = -1;
        vectors.forEach((vector, i) => {
          const distance = Math.min(...centers.map((center) => squaredDistance(vector, center)));
          if (distance > bestDistance) [best, bestDistance] = [i, distance];
        });
        if (centers.length >= 2 && bestDistance < 0.25) break;
        centers.push(Float32Array.from(vectors[best]!));
      }
      for (let iteration = 0; iteration < 10; iteration++) {
        vectors.forEach((vector, i) => {
          let nearest = 0;
          centers.forEach((center, c) => {
            if (squaredDistance(vector, center) < squaredDistance(vector, centers[nearest]!)) nearest = c;
          });
          labels[i] = nearest;
        });
        centers.forEach((center, c) => {
          center.fill(0);
          let size = 0;
          vectors.forEach((vector, i) => {
            if (labels[i] !== c) return;
            size++;
            for (let d = 0; d < dimension; d++) center[d]! += vector[d]!;
          });
          if (size > 0) for (let d = 0; d < dimension; d++) center[d]! /= size;
        });
      }
      const sizes = new Map<number, number>();
      for (const label of labels) sizes.set(label, (sizes.get(label) ?? 0) + 1);
      for (let i = 0; i < n; i++) if ((sizes.get(labels[i]!) ?? 0) < minClusterSize) labels[i] = -1;
      return { labels };
    },
  };
}

function squaredDistance(a: Float32Array, b: Float32Array): number {
  let sum = 0;
  for (let d = 0; d < a.length; d++) sum += (a[d]! - b[d]!) ** 2;
  return sum;
}
