import { describe, expect, it } from 'vitest';
import { createRandomSource } from '@corpus-proximity/core/internal';
import { createSimdKernels } from './simd-kernels.js';

describe('createSimdKernels', () => {
  const kernels = createSimdKernels(1 << 16);
  const rows = 4;
  const stride = 12; // 10 values + 2 zero pads per row
  const fill = (): Float32Array => {
    const memory = new Float32Array(kernels!.memory.buffer, 0, rows * stride);
    memory.fill(0);
    const random = createRandomSource(5);
    for (let i = 0; i < rows; i++) for (let t = 0; t < 10; t++) memory[i * stride + t] = random.normal() * 3;
    return memory;
  };
  const bytes = stride * 4;

  it('is available on this Node and computes squared distances like a plain loop', () => {
    expect(kernels).toBeDefined();
    const memory = fill();
    let expected = 0;
    for (let t = 0; t < stride; t++) expected += ((memory[t] as number) - (memory[2 * stride + t] as number)) ** 2;
    expect(kernels!.dist(0, 2 * bytes, bytes)).toBeCloseTo(expected, 3);
    // long rows take the 64-byte step, then the 16-byte tail: 100 floats = 6 × 16 + 4
    const long = new Float32Array(kernels!.memory.buffer, 0, 200);
    const random = createRandomSource(6);
    for (let t = 0; t < 200; t++) long[t] = random.normal();
    let sum = 0;
    for (let t = 0; t < 100; t++) sum += ((long[t] as number) - (long[100 + t] as number)) ** 2;
    expect(kernels!.dist(0, 400, 400) / sum).toBeCloseTo(1, 5);
  });

  it('moves rows by the clipped, scaled gradient', () => {
    const memory = fill();
    const before = Array.from(memory);
    const [c, alpha] = [0.7, 0.25];
    kernels!.both(0, bytes, bytes, c, alpha);
    kernels!.one(2 * bytes, 3 * bytes, bytes, -5, alpha);
    for (let t = 0; t < stride; t++) {
      const g = Math.min(4, Math.max(-4, c * ((before[t] as number) - (before[stride + t] as number)))) * alpha;
      expect(memory[t]).toBeCloseTo((before[t] as number) + g, 4);
      expect(memory[stride + t]).toBeCloseTo((before[stride + t] as number) - g, 4);
      const h = Math.min(4, Math.max(-4, -5 * ((before[2 * stride + t] as number) - (before[3 * stride + t] as number)))) * alpha;
      expect(memory[2 * stride + t]).toBeCloseTo((before[2 * stride + t] as number) + h, 4);
      expect(memory[3 * stride + t]).toBe(before[3 * stride + t]);
    }
    // padding stays zero
    expect(memory[10]).toBe(0);
    expect(memory[stride + 11]).toBe(0);
  });

  it('computes x^y to ≈ 1e−8 relative error over the range UMAP feeds it', () => {
    for (const y of [0.8951, -0.1049, 0.7915, -0.2085, 1.5]) {
      for (let e = -100; e <= 40; e += 0.73) {
        const x = Math.exp(e);
        expect(Math.abs(kernels!.pow(x, y) / Math.pow(x, y) - 1)).toBeLessThan(1e-7);
      }
    }
  });

  it('runs an edge exactly as the separate kernels with the same xorshift stream would', () => {
    const a = 1.577;
    const b = 0.8951;
    const memory = fill();
    const copy = createSimdKernels(1 << 16)!;
    const other = new Float32Array(copy.memory.buffer, 0, rows * stride);
    other.set(memory);
    let state = 987654321 | 0;
    state = kernels!.edge(0, bytes, 7, state, rows, bytes, a, b, 2 * a * b, 2 * b, 0.5);
    const d2 = copy.dist(0, bytes, bytes);
    const powered = copy.pow(d2, b - 1);
    copy.both(0, bytes, bytes, (-2 * a * b * powered) / (a * powered * d2 + 1), 0.5);
    let s = 987654321 | 0;
    for (let p = 0; p < 7; p++) {
      s ^= s << 13;
      s ^= s >>> 17;
      s ^= s << 5;
      const o = ((s >>> 1) % rows) * bytes;
      if (o === 0) continue;
      const e2 = copy.dist(0, o, bytes);
      if (e2 > 0) copy.one(0, o, bytes, (2 * b) / ((0.001 + e2) * (a * copy.pow(e2, b) + 1)), 0.5);
    }
    expect(state).toBe(s);
    expect(Array.from(memory)).toEqual(Array.from(other));
  });
});
