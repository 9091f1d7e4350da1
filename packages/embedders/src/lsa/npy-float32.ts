const magic = [0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59]; // "\x93NUMPY"

/** Encodes a row-major float32 matrix as a NumPy .npy file (format 1.0, little-endian), readable with np.load. */
export function encodeNpyFloat32(values: Float32Array, rows: number, columns: number): Uint8Array {
  let header = `{'descr': '<f4', 'fortran_order': False, 'shape': (${rows}, ${columns}), }`;
  // Pad so the data starts on a 64-byte boundary, as NumPy does.
  const unpadded = magic.length + 4 + header.length + 1;
  header += ' '.repeat((64 - (unpadded % 64)) % 64) + '\n';
  const headerBytes = new TextEncoder().encode(header);
  const out = new Uint8Array(magic.length + 4 + headerBytes.length + values.length * 4);
  out.set(magic, 0);
  out[6] = 1;
  out[7] = 0;
  new DataView(out.buffer).setUint16(8, headerBytes.length, true);
  out.set(headerBytes, 10);
  const view = new DataView(out.buffer, 10 + headerBytes.length);
  for (let i = 0; i < values.length; i++) view.setFloat32(i * 4, values[i]!, true);
  return out;
}

/** Decodes a 2-d little-endian float32 .npy file; throws an Error that says what is wrong otherwise. */
export function decodeNpyFloat32(bytes: Uint8Array): { values: Float32Array; rows: number; columns: number } {
  if (bytes.length < 10 || magic.some((byte, i) => bytes[i] !== byte)) throw new Error('not a .npy file (bad magic bytes)');
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const major = bytes[6]!;
  const headerLength = major === 1 ? view.getUint16(8, true) : view.getUint32(8, true);
  const headerStart = major === 1 ? 10 : 12;
  const header = new TextDecoder().decode(bytes.subarray(headerStart, headerStart + headerLength));
  if (!/'descr':\s*'<f4'/.test(header)) throw new Error(`expected little-endian float32 ('<f4'), header is ${header.trim()}`);
  if (/'fortran_order':\s*True/.test(header)) throw new Error('Fortran-ordered arrays are not supported');
  const shape = /'shape':\s*\((\d+),\s*(\d+)\s*,?\)/.exec(header);
  if (!shape) throw new Error(`expected a 2-d shape, header is ${header.trim()}`);
  const rows = Number(shape[1]);
  const columns = Number(shape[2]);
  const dataStart = headerStart + headerLength;
  if (bytes.length - dataStart !== rows * columns * 4) {
    throw new Error(`shape (${rows}, ${columns}) needs ${rows * columns * 4} data bytes, file has ${bytes.length - dataStart}`);
  }
  const values = new Float32Array(rows * columns);
  const data = new DataView(bytes.buffer, bytes.byteOffset + dataStart, rows * columns * 4);
  for (let i = 0; i < values.length; i++) values[i] = data.getFloat32(i * 4, true);
  return { values, rows, columns };
}
