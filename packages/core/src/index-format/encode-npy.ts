import { float32ToFloat16 } from './float16.js';

/** Element types the index stores. */
export type NpyDtype = 'float32' | 'float16';

const MAGIC = [0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59]; // \x93NUMPY

/** The .npy (version 1.0) header for a C-order little-endian float array, padded to 64 bytes. */
export function npyHeader(shape: readonly number[], dtype: NpyDtype): Uint8Array {
  const descr = dtype === 'float32' ? '<f4' : '<f2';
  const dims = shape.length === 1 ? `${shape[0]},` : shape.join(', ');
  let dict = `{'descr': '${descr}', 'fortran_order': False, 'shape': (${dims}), }`;
  const total = Math.ceil((10 + dict.length + 1) / 64) * 64;
  dict = dict.padEnd(total - 10 - 1, ' ') + '\n';
  const header = new Uint8Array(total);
  header.set(MAGIC, 0);
  header[6] = 1;
  header[7] = 0;
  new DataView(header.buffer).setUint16(8, dict.length, true);
  for (let i = 0; i < dict.length; i++) header[10 + i] = dict.charCodeAt(i);
  return header;
}

/** Encodes a row-major matrix as a numpy .npy file (np.load reads it); float16 rounds to nearest even. */
export function encodeNpy(data: Float32Array, shape: readonly [number, number] | readonly number[], dtype: NpyDtype = 'float32'): Uint8Array {
  checkShape(data, shape);
  const header = npyHeader(shape, dtype);
  const body = npyBody(data, dtype);
  const bytes = new Uint8Array(header.length + body.length);
  bytes.set(header, 0);
  bytes.set(body, header.length);
  return bytes;
}

/** The little-endian bytes of the values in the given dtype (a view, without copying, for float32 on little-endian machines). */
export function npyBody(data: Float32Array, dtype: NpyDtype): Uint8Array {
  if (dtype === 'float16') {
    const half = float32ToFloat16(data);
    if (!LITTLE_ENDIAN) swapBytes(new Uint8Array(half.buffer), 2);
    return new Uint8Array(half.buffer);
  }
  if (LITTLE_ENDIAN) return new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
  const copy = new Uint8Array(data.byteLength);
  copy.set(new Uint8Array(data.buffer, data.byteOffset, data.byteLength));
  swapBytes(copy, 4);
  return copy;
}

/** Throws when the element count does not match the shape. */
export function checkShape(data: Float32Array, shape: readonly number[]): void {
  const count = shape.reduce((product, size) => product * size, 1);
  if (shape.some((size) => !Number.isInteger(size) || size < 0) || count !== data.length) {
    throw new RangeError(`npy: shape (${shape.join(', ')}) holds ${count} values but the data has ${data.length}`);
  }
}

/** True on little-endian hosts (all common ones). */
export const LITTLE_ENDIAN = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;

/** Reverses the byte order of each `width`-byte element in place. */
export function swapBytes(bytes: Uint8Array, width: number): void {
  for (let i = 0; i + width <= bytes.length; i += width) {
    for (let a = i, b = i + width - 1; a < b; a++, b--) {
      const t = bytes[a]!;
      bytes[a] = bytes[b]!;
      bytes[b] = t;
    }
  }
}
