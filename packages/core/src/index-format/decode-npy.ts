import { LITTLE_ENDIAN, type NpyDtype } from './encode-npy.js';
import { InvalidInputError } from '../errors.js';
import { float16ToFloat32 } from './float16.js';

/** A decoded .npy array: values as float32, its shape, and the dtype it was stored in. */
export interface DecodedNpy {
  data: Float32Array;
  shape: number[];
  dtype: NpyDtype | 'float64';
}

/**
 * Decodes a numpy .npy file of float16/float32/float64 values (either byte order, C order) into a
 * Float32Array, which may share memory with `bytes`. Truncated or malformed files throw an
 * InvalidInputError naming `name`.
 */
export function decodeNpy(bytes: Uint8Array, name: string): DecodedNpy {
  const fail = (what: string): never => {
    throw new InvalidInputError(`${name}: ${what}`, { file: name });
  };
  const magic = [0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59];
  if (bytes.length < 10) fail(`truncated .npy file (${bytes.length} bytes, shorter than the header)`);
  if (magic.some((byte, i) => bytes[i] !== byte)) fail('not a .npy file (bad magic bytes)');
  const major = bytes[6]!;
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  let headerLength: number;
  let headerStart: number;
  if (major === 1) [headerLength, headerStart] = [view.getUint16(8, true), 10];
  else if (major === 2 || major === 3) {
    if (bytes.length < 12) fail('truncated .npy file (incomplete header)');
    [headerLength, headerStart] = [view.getUint32(8, true), 12];
  } else return fail(`unsupported .npy format version ${major}.${bytes[7]}`);
  const dataStart = headerStart + headerLength;
  if (bytes.length < dataStart) fail(`truncated .npy file (header says ${headerLength} header bytes, file has ${bytes.length} bytes in all)`);
  const header = new TextDecoder(major === 3 ? 'utf-8' : 'latin1').decode(bytes.subarray(headerStart, dataStart));

  const descr = /'descr'\s*:\s*'([<>|=])([a-z])(\d+)'/.exec(header);
  const fortran = /'fortran_order'\s*:\s*(True|False)/.exec(header);
  const shapeMatch = /'shape'\s*:\s*\(([^)]*)\)/.exec(header);
  if (!descr || !fortran || !shapeMatch) return fail(`bad .npy header ${JSON.stringify(header.trim())}`);
  if (fortran[1] === 'True') fail('Fortran-order .npy arrays are not supported; save with numpy.ascontiguousarray');
  const [, order, kind, sizeText] = descr;
  const width = Number(sizeText);
  if (kind !== 'f' || ![2, 4, 8].includes(width)) fail(`unsupported dtype '${order}${kind}${width}'; expected float16, float32 or float64`);
  const shape = shapeMatch[1]!
    .split(',')
    .map((part) => part.trim())
    .filter((part) => part !== '')
    .map((part) => Number(part.replace(/L$/, '')));
  if (shape.some((size) => !Number.isInteger(size) || size < 0)) fail(`bad shape (${shapeMatch[1]}) in the .npy header`);
  const count = shape.reduce((product, size) => product * size, 1);
  const expected = count * width;
  const available = bytes.length - dataStart;
  if (available < expected) {
    fail(`truncated .npy file: shape (${shape.join(', ')}) needs ${expected} data bytes, found ${available}`);
  }
  if (available > expected) fail(`.npy file has ${available - expected} unexpected bytes after the data of shape (${shape.join(', ')})`);

  const littleEndian = order === '<' || (order !== '>' && LITTLE_ENDIAN);
  const dtype = width === 2 ? 'float16' : width === 4 ? 'float32' : 'float64';
  return { data: readValues(bytes, dataStart, count, width, littleEndian), shape, dtype };
}

function readValues(bytes: Uint8Array, start: number, count: number, width: number, littleEndian: boolean): Float32Array {
  const offset = bytes.byteOffset + start;
  if (littleEndian === LITTLE_ENDIAN && offset % width === 0) {
    // Aligned and in host order: read in place.
    if (width === 4) return new Float32Array(bytes.buffer, offset, count);
    if (width === 2) return float16ToFloat32(new Uint16Array(bytes.buffer, offset, count));
    return Float32Array.from(new Float64Array(bytes.buffer, offset, count));
  }
  const view = new DataView(bytes.buffer, offset, count * width);
  if (width === 2) {
    const bits = new Uint16Array(count);
    for (let i = 0; i < count; i++) bits[i] = view.getUint16(i * 2, littleEndian);
    return float16ToFloat32(bits);
  }
  const out = new Float32Array(count);
  for (let i = 0; i < count; i++) out[i] = width === 4 ? view.getFloat32(i * 4, littleEndian) : view.getFloat64(i * 8, littleEndian);
  return out;
}
