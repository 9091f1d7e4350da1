import { execFileSync } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decodeNpy } from './decode-npy.js';
import { encodeNpy, npyHeader } from './encode-npy.js';
import { InvalidInputError } from '../errors.js';
import { float16ToFloat32, float32ToFloat16, toHalfBits } from './float16.js';
import { createRandom } from '../random.js';
import { writeNpyFile } from './write-npy-file.js';

const PYTHON = '/usr/bin/python3';
let folder: string;
beforeAll(async () => {
  folder = await mkdtemp(join(tmpdir(), 'cp-npy-'));
});
afterAll(async () => {
  await rm(folder, { recursive: true, force: true });
});

function randomMatrix(rows: number, columns: number, seed: number): Float32Array {
  const random = createRandom(seed);
  return Float32Array.from({ length: rows * columns }, () => random() * 2 - 1);
}

function python(script: string): string {
  return execFileSync(PYTHON, ['-c', script], { encoding: 'utf8' }).trim();
}

describe('float16', () => {
  it('converts exactly representable values both ways and rounds to nearest even', () => {
    const values = Float32Array.from([0, -0, 1, -2, 0.5, 65504, 2 ** -14, 2 ** -24, Infinity, -Infinity]);
    expect(Array.from(float16ToFloat32(float32ToFloat16(values)))).toEqual(Array.from(values));
    expect(toHalfBits(1)).toBe(0x3c00);
    expect(toHalfBits(1 + 2 ** -11)).toBe(0x3c00); // tie → even
    expect(toHalfBits(1 + 3 * 2 ** -11)).toBe(0x3c02); // tie → even (up)
    expect(toHalfBits(65520)).toBe(0x7c00); // overflow → Infinity
    expect(toHalfBits(2 ** -26)).toBe(0); // underflow → 0
    expect(toHalfBits(3 * 2 ** -25)).toBe(0x0002); // subnormal rounding
    expect(Number.isNaN(float16ToFloat32(float32ToFloat16(Float32Array.from([NaN])))[0])).toBe(true);
  });

  it('keeps relative error within half-precision bounds', () => {
    const values = randomMatrix(1, 10_000, 5);
    const back = float16ToFloat32(float32ToFloat16(values));
    for (let i = 0; i < values.length; i++) expect(Math.abs(back[i]! - values[i]!)).toBeLessThanOrEqual(Math.max(Math.abs(values[i]!) * 2 ** -11, 2 ** -25));
  });
});

describe('npy', () => {
  it('writes a header numpy accepts: 64-byte aligned, version 1.0, little-endian', () => {
    const header = npyHeader([3, 4], 'float32');
    expect(header.length % 64).toBe(0);
    const text = Buffer.from(header.subarray(10)).toString('latin1');
    expect(text).toMatch(/^\{'descr': '<f4', 'fortran_order': False, 'shape': \(3, 4\), \} *\n$/);
    expect(Buffer.from(npyHeader([7], 'float16').subarray(10)).toString('latin1')).toContain("'shape': (7,)");
  });

  it('round-trips float32 exactly and float16 approximately', () => {
    const data = randomMatrix(5, 3, 1);
    const decoded = decodeNpy(encodeNpy(data, [5, 3], 'float32'), 'x.npy');
    expect(decoded).toEqual({ data, shape: [5, 3], dtype: 'float32' });
    const half = decodeNpy(encodeNpy(data, [5, 3], 'float16'), 'h.npy');
    expect(half.dtype).toBe('float16');
    expect(half.shape).toEqual([5, 3]);
    for (let i = 0; i < data.length; i++) expect(half.data[i]).toBeCloseTo(data[i]!, 3);
    expect(decodeNpy(encodeNpy(new Float32Array(0), [0, 8]), 'empty.npy').shape).toEqual([0, 8]);
  });

  it('rejects data that does not match the shape', () => {
    expect(() => encodeNpy(new Float32Array(5), [2, 3])).toThrow('shape (2, 3) holds 6 values but the data has 5');
  });

  it('gives clear errors for truncated files and bad headers', () => {
    const bytes = encodeNpy(randomMatrix(4, 4, 2), [4, 4]);
    const error = (() => {
      try {
        decodeNpy(bytes.subarray(0, bytes.length - 3), 'emb.npy');
      } catch (e) {
        return e;
      }
    })();
    expect(error).toBeInstanceOf(InvalidInputError);
    expect((error as Error).message).toBe('emb.npy: truncated .npy file: shape (4, 4) needs 64 data bytes, found 61');
    expect(() => decodeNpy(bytes.subarray(0, 5), 'a.npy')).toThrow('a.npy: truncated .npy file (5 bytes, shorter than the header)');
    expect(() => decodeNpy(bytes.subarray(0, 40), 'a.npy')).toThrow(/a\.npy: truncated \.npy file \(header says \d+ header bytes/);
    expect(() => decodeNpy(Buffer.from('PK\x03\x04 not npy at all'), 'z.npy')).toThrow('z.npy: not a .npy file (bad magic bytes)');
    const wrongType = Buffer.from(bytes);
    wrongType.write("'<i8'", wrongType.indexOf("'<f4'"), 'latin1');
    expect(() => decodeNpy(wrongType, 'i.npy')).toThrow("i.npy: unsupported dtype '<i8'");
  });

  // Debian's python3-numpy (apt-get install -y python3-numpy) is part of the test environment.
  it('is read and written by numpy', async () => {
    const data = randomMatrix(6, 5, 3);
    const f32 = join(folder, 'f32.npy');
    const f16 = join(folder, 'f16.npy');
    await writeFile(f32, encodeNpy(data, [6, 5], 'float32'));
    await writeNpyFile(f16, data, [6, 5], 'float16');
    const sum = data.reduce((total, value) => total + value, 0);
    const out = python(`import numpy; a=numpy.load('${f32}'); b=numpy.load('${f16}'); print(a.shape, a.dtype, b.dtype, repr(float(a.astype('float64').sum())), repr(float(a[2,3])), int(b.view('uint16')[1,1]))`);
    const [shapeText, fields] = [out.slice(0, out.indexOf(')') + 1), out.slice(out.indexOf(')') + 2).split(' ')];
    expect(shapeText).toBe('(6, 5)');
    expect(fields.slice(0, 2)).toEqual(['float32', 'float16']);
    expect(Number(fields[2])).toBeCloseTo(sum, 4);
    expect(Number(fields[3])).toBe(data[2 * 5 + 3]);
    expect(Number(fields[4])).toBe(toHalfBits(data[6]!));
    // And numpy's own files (float64, float16, big-endian) decode here.
    const saved = join(folder, 'np.npy');
    for (const dtype of ['<f8', '<f2', '>f4']) {
      const stored = python(`import numpy; numpy.save('${saved}', (numpy.arange(12).reshape(3, 4) / 4).astype('${dtype}')); print(numpy.load('${saved}').dtype.str)`);
      expect(stored).toBe(dtype);
      const decoded = decodeNpy(await readFile(saved), saved);
      expect(decoded.shape).toEqual([3, 4]);
      expect(Array.from(decoded.data)).toEqual(Array.from({ length: 12 }, (_, i) => i / 4));
    }
  });
});
