const float32 = new Float32Array(1);
const uint32 = new Uint32Array(float32.buffer);
let table: Float32Array | undefined;

/** Converts float32 values to IEEE 754 half-precision bits, rounding to nearest even (overflow → ±Infinity). */
export function float32ToFloat16(values: Float32Array, out = new Uint16Array(values.length)): Uint16Array {
  for (let i = 0; i < values.length; i++) out[i] = toHalfBits(values[i]!);
  return out;
}

/** Converts IEEE 754 half-precision bits to float32 values (exact). */
export function float16ToFloat32(bits: Uint16Array, out = new Float32Array(bits.length)): Float32Array {
  const lookup = (table ??= buildTable());
  for (let i = 0; i < bits.length; i++) out[i] = lookup[bits[i]!]!;
  return out;
}

/** Half-precision bits of one number. */
export function toHalfBits(value: number): number {
  float32[0] = value;
  const x = uint32[0]!;
  const sign = (x >>> 16) & 0x8000;
  const exponent = (x >>> 23) & 0xff;
  let mantissa = x & 0x7fffff;
  if (exponent === 0xff) return sign | 0x7c00 | (mantissa !== 0 ? 0x200 : 0); // Inf or NaN
  const halfExponent = exponent - 127 + 15;
  if (halfExponent >= 0x1f) return sign | 0x7c00; // too large: Infinity
  if (halfExponent <= 0) {
    if (halfExponent < -10) return sign; // too small: signed zero
    // Subnormal: shift the mantissa (with its implicit 1) right and round to nearest even.
    mantissa |= 0x800000;
    const shift = 14 - halfExponent;
    const half = 1 << (shift - 1);
    const rest = mantissa & ((1 << shift) - 1);
    let result = mantissa >>> shift;
    if (rest > half || (rest === half && (result & 1) === 1)) result++;
    return sign | result;
  }
  let result = (halfExponent << 10) | (mantissa >>> 13);
  const rest = mantissa & 0x1fff;
  // Rounding may carry into the exponent, which is exactly right (up to Infinity).
  if (rest > 0x1000 || (rest === 0x1000 && (result & 1) === 1)) result++;
  return sign | result;
}

function buildTable(): Float32Array {
  const lookup = new Float32Array(65536);
  for (let bits = 0; bits < 65536; bits++) {
    const sign = bits & 0x8000 ? -1 : 1;
    const exponent = (bits >>> 10) & 0x1f;
    const mantissa = bits & 0x3ff;
    if (exponent === 0) lookup[bits] = sign * mantissa * 2 ** -24;
    else if (exponent === 0x1f) lookup[bits] = mantissa === 0 ? sign * Infinity : NaN;
    else lookup[bits] = sign * (1 + mantissa / 1024) * 2 ** (exponent - 15);
  }
  return lookup;
}
