import { createGaussian, createRandom } from '../random.js';

/**
 * Seeded unit vectors drawn from a Gaussian mixture (`clusters` random unit centres, each point a
 * centre plus isotropic noise of norm ≈ `spread`), so neighbourhoods look like real embeddings'
 * rather than uniform noise. Row-major Float32Array of rows × dimension.
 */
export function mixtureVectors(rows: number, dimension: number, options: { clusters?: number; spread?: number; seed?: number } = {}): Float32Array {
  const random = createRandom(options.seed ?? 1);
  const gaussian = createGaussian(random);
  const clusters = options.clusters ?? 50;
  const spread = options.spread ?? 0.8;
  const centres = new Float32Array(clusters * dimension);
  for (let c = 0; c < clusters; c++) normalizeRow(centres, c, dimension, () => gaussian());
  const data = new Float32Array(rows * dimension);
  const scale = spread / Math.sqrt(dimension);
  for (let row = 0; row < rows; row++) {
    const centre = Math.floor(random() * clusters);
    normalizeRow(data, row, dimension, (d) => centres[centre * dimension + d]! + gaussian() * scale);
  }
  return data;
}

function normalizeRow(data: Float32Array, row: number, dimension: number, value: (d: number) => number): void {
  const offset = row * dimension;
  let norm = 0;
  for (let d = 0; d < dimension; d++) norm += (data[offset + d] = value(d)) ** 2;
  norm = Math.sqrt(norm);
  for (let d = 0; d < dimension; d++) data[offset + d]! /= norm;
}
