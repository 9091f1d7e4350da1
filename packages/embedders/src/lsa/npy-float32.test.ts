import { describe, expect, it } from 'vitest';
import { decodeNpyFloat32, encodeNpyFloat32 } from './npy-float32.js';

describe('encodeNpyFloat32 / decodeNpyFloat32', () => {
  it('round-trips a matrix with a NumPy 1.0 header aligned to 64 bytes', () => {
    const values = Float32Array.from([1.5, -2, 3.25, 0, Math.PI, -0]);
    const bytes = encodeNpyFloat32(values, 2, 3);
    expect(new TextDecoder().decode(bytes.subarray(1, 6))).toBe('NUMPY');
    const headerLength = bytes[8]! + bytes[9]! * 256;
    expect((10 + headerLength) % 64).toBe(0);
    expect(new TextDecoder().decode(bytes.subarray(10, 10 + headerLength))).toContain("'shape': (2, 3)");
    const decoded = decodeNpyFloat32(bytes);
    expect([decoded.rows, decoded.columns]).toEqual([2, 3]);
    expect(decoded.values).toEqual(values);
  });

  it('decodes from an unaligned view', () => {
    const bytes = encodeNpyFloat32(Float32Array.from([7, 8]), 1, 2);
    const shifted = new Uint8Array(bytes.length + 1);
    shifted.set(bytes, 1);
    expect(Array.from(decodeNpyFloat32(shifted.subarray(1)).values)).toEqual([7, 8]);
  });

  it('says what is wrong with a bad file', () => {
    expect(() => decodeNpyFloat32(new Uint8Array([1, 2, 3]))).toThrow(/magic/);
    const bytes = encodeNpyFloat32(Float32Array.from([1, 2]), 1, 2);
    expect(() => decodeNpyFloat32(bytes.subarray(0, bytes.length - 1))).toThrow(/needs 8 data bytes/);
    const wrongType = Uint8Array.from(bytes);
    wrongType.set(new TextEncoder().encode("'<f8'"), 10 + "{'descr': ".length);
    expect(() => decodeNpyFloat32(wrongType)).toThrow(/float32/);
  });
});
