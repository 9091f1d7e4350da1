import { InvalidInputError } from '@corpus-proximity/core';

/** A dense row-major matrix of 32-bit floats: row i is `data[i*cols .. (i+1)*cols)`. */
export interface Matrix {
  data: Float32Array;
  rows: number;
  cols: number;
}

/** Points as an array of rows, or already packed into one row-major buffer. */
export type PointsInput = Float32Array[] | ArrayLike<number>[] | Matrix;

/**
 * Packs `points` into one contiguous matrix and checks it: equal row lengths and finite values.
 * `where` names the caller in error messages (e.g. "hdbscan").
 */
export function toMatrix(points: PointsInput, where: string): Matrix {
  let matrix: Matrix;
  if (Array.isArray(points)) {
    const rows = points.length;
    const cols = rows === 0 ? 0 : (points[0] as ArrayLike<number>).length;
    const data = new Float32Array(rows * cols);
    for (let i = 0; i < rows; i++) {
      const row = points[i] as ArrayLike<number>;
      if (row.length !== cols) {
        throw new InvalidInputError(
          `${where}: row ${i} has ${row.length} values but row 0 has ${cols}; give every point the same number of dimensions`,
          { line: i },
        );
      }
      data.set(row, i * cols);
    }
    matrix = { data, rows, cols };
  } else {
    const { data, rows, cols } = points as Matrix;
    if (!(data instanceof Float32Array) || !Number.isInteger(rows) || !Number.isInteger(cols) || data.length < rows * cols) {
      throw new InvalidInputError(
        `${where}: expected { data: Float32Array; rows; cols } with data.length >= rows*cols, got rows=${rows}, cols=${cols}, data.length=${data?.length}`,
      );
    }
    matrix = { data, rows, cols };
  }
  assertFinite(matrix, where);
  return matrix;
}

/** Throws an InvalidInputError naming the first row (and column) that holds NaN or ±Infinity. */
export function assertFinite(matrix: Matrix, where: string): void {
  const { data, rows, cols } = matrix;
  const size = rows * cols;
  for (let index = 0; index < size; index++) {
    const value = data[index] as number;
    // value - value is NaN for NaN and ±Infinity: one test for both
    if (value - value !== 0) {
      const row = Math.floor(index / cols);
      throw new InvalidInputError(
        `${where}: row ${row} has a non-finite value (${value}) at column ${index - row * cols}; remove or repair that point before clustering`,
        { line: row },
      );
    }
  }
}

/** A copy of `matrix` with every row scaled to unit length (zero rows stay zero). */
export function normalizeRows(matrix: Matrix): Matrix {
  const { data, rows, cols } = matrix;
  const out = new Float32Array(rows * cols);
  for (let i = 0; i < rows; i++) {
    const offset = i * cols;
    let sum = 0;
    for (let t = 0; t < cols; t++) sum += (data[offset + t] as number) ** 2;
    const scale = sum > 0 ? 1 / Math.sqrt(sum) : 0;
    for (let t = 0; t < cols; t++) out[offset + t] = (data[offset + t] as number) * scale;
  }
  return { data: out, rows, cols };
}

/** Splits a matrix back into one Float32Array per row (views are not shared with `matrix`). */
export function toRows(matrix: Matrix): Float32Array[] {
  const result: Float32Array[] = [];
  for (let i = 0; i < matrix.rows; i++) result.push(matrix.data.slice(i * matrix.cols, (i + 1) * matrix.cols));
  return result;
}
