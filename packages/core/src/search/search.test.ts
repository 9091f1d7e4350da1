import { describe, expect, it } from 'vitest';
import { createRandom } from '../random.js';
import { searchExact, searchExactMany } from './search.js';

function randomUnitRows(rows: number, dimension: number, seed: number): Float32Array {
  const random = createRandom(seed);
  const data = new Float32Array(rows * dimension);
  for (let row = 0; row < rows; row++) {
    let norm = 0;
    for (let d = 0; d < dimension; d++) norm += (data[row * dimension + d] = random() - 0.5) ** 2;
    norm = Math.sqrt(norm);
    for (let d = 0; d < dimension; d++) data[row * dimension + d]! /= norm;
  }
  return data;
}

describe('exact search', () => {
  const dimension = 12;
  const data = randomUnitRows(500, dimension, 3);
  const queries = Array.from({ length: 37 }, (_, q) => data.slice(q * 7 * dimension, (q * 7 + 1) * dimension));

  it('finds the k most similar rows, nearest first, as a full sort does', () => {
    for (const query of queries.slice(0, 5)) {
      const expected = Array.from({ length: 500 }, (_, row) => {
        let sim = 0;
        for (let d = 0; d < dimension; d++) sim += data[row * dimension + d]! * query[d]!;
        return { row, distance: 1 - sim };
      }).sort((a, b) => a.distance - b.distance);
      const hits = searchExact(data, dimension, query, 10);
      expect(hits.map((hit) => hit.idx)).toEqual(expected.slice(0, 10).map((entry) => entry.row));
      expect(hits[0]!.distance).toBeCloseTo(0, 6);
    }
  });

  it('answers many queries as it answers each alone, across query blocks', () => {
    const many = searchExactMany(data, dimension, queries, 8);
    expect(many).toHaveLength(queries.length);
    queries.forEach((query, q) => expect(many[q]).toEqual(searchExact(data, dimension, query, 8)));
  });

  it('returns at most the number of rows, and nothing for k = 0', () => {
    expect(searchExact(data.subarray(0, 3 * dimension), dimension, queries[0]!, 10)).toHaveLength(3);
    expect(searchExact(data, dimension, queries[0]!, 0)).toEqual([]);
  });
});
