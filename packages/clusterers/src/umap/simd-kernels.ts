/**
 * WebAssembly SIMD (f32x4) kernels of UMAP, hand-assembled below so the package stays
 * dependency-free: `dist(a, b, bytes)` returns |row a − row b|² (also NN-descent's distance),
 * `both(a, b, bytes, c, alpha)` moves rows a and b by ±alpha·clip(c·(a − b), ±4), `one(...)` moves
 * row a only, `edge(...)` runs one sampled SGD edge with its negative samples, and `pow` is the
 * power it uses. Rows are byte offsets into the kernels' memory, 16-byte aligned, `bytes` a multiple
 * of 16 (rows zero-padded to 4 floats). Deterministic: no threads, fixed summation order.
 */
export interface SimdKernels {
  memory: { buffer: ArrayBuffer };
  /** x^y for x > 0 (≈ 1e−8 relative error), the power the `edge` kernel uses. */
  pow(x: number, y: number): number;
  dist(a: number, b: number, bytes: number): number;
  both(a: number, b: number, bytes: number, coefficient: number, alpha: number): void;
  one(a: number, b: number, bytes: number, coefficient: number, alpha: number): void;
  /**
   * One sampled edge j–k (byte offsets): the attractive move, then `negatives` repulsive moves of j
   * from rows drawn by the xorshift32 stream `state` (row = (state >>> 1) mod n); returns the new state.
   */
  edge(j: number, k: number, negatives: number, state: number, n: number, bytes: number, a: number, b: number, twoAB: number, twoGammaB: number, alpha: number): number;
  /**
   * One epoch over `edges` edges whose schedule lives in the kernels' memory (byte addresses: i32 row
   * and column offsets, f64 epochs-per-sample, epochs-per-negative, next-negative, next-sample):
   * every edge due by `epoch` runs through `edge`, exactly as umap-learn's loop; returns the new state.
   */
  epoch(edges: number, rows: number, columns: number, perSample: number, perNegative: number, nextNegative: number, nextSample: number, epoch: number, alpha: number, state: number, n: number, bytes: number, a: number, b: number, twoAB: number, twoGammaB: number): number;
}

const SIMD = 0xfd;
const V128_LOAD = [SIMD, 0x00, 4, 0];
const V128_STORE = [SIMD, 0x0b, 4, 0];
const F32X4_SPLAT = [SIMD, 0x13];
const F32X4_ADD = [SIMD, 0xe4, 0x01];
const F32X4_SUB = [SIMD, 0xe5, 0x01];
const F32X4_MUL = [SIMD, 0xe6, 0x01];
const F32X4_MIN = [SIMD, 0xe8, 0x01];
const F32X4_MAX = [SIMD, 0xe9, 0x01];
const lane = (index: number): number[] => [SIMD, 0x1f, index];
const get = (local: number): number[] => [0x20, local];
const set = (local: number): number[] => [0x21, local];
const tee = (local: number): number[] => [0x22, local];
const f32 = (value: number): number[] => [0x43, ...new Uint8Array(Float32Array.of(value).buffer)];
const I32_ADD = 0x6a;
const I32_GE_U = 0x4f;
const F32_ADD = 0x92;
const i32 = (value: number): number[] => [0x41, ...sleb64(BigInt(value))];
const f64 = (value: number): number[] => [0x44, ...new Uint8Array(Float64Array.of(value).buffer)];
const call = (index: number): number[] => [0x10, index];
const [F64_ADD, F64_SUB, F64_MUL, F64_DIV, F64_NEG, F64_GT, F64_LE] = [0xa0, 0xa1, 0xa2, 0xa3, 0x9a, 0x64, 0x65];
const [PROMOTE, DEMOTE, I32_SHL, I32_SHR_U, I32_XOR, I32_REM_U, I32_MUL, I32_EQ, I32_GE_S] = [0xbb, 0xb6, 0x74, 0x76, 0x73, 0x70, 0x6c, 0x46, 0x4e];
const i64 = (value: bigint): number[] => [0x42, ...sleb64(value)];
const [I64_SHR_U, I64_AND, I64_OR, I64_SUB, I64_ADD, I64_SHL, I64_TRUNC, F64_FROM_I64, F64_NEAREST, F64_BITS, I64_BITS] = [0x88, 0x83, 0x84, 0x7d, 0x7c, 0x86, 0xb0, 0xb9, 0x9e, 0xbf, 0xbd];
// function indices: pow, dist, both, one, edge
const [POW, DIST, BOTH, ONE, EDGE] = [0, 1, 2, 3, 4];

/** `while (a < end) { body; a += 16; b += 16 }` with end = a + bytes in local `end`. */
function loop(end: number, body: number[]): number[] {
  return [
    ...get(0), ...get(2), I32_ADD, ...set(end),
    0x02, 0x40, 0x03, 0x40,
    ...get(0), ...get(end), I32_GE_U, 0x0d, 1,
    ...body,
    ...get(0), ...i32(16), I32_ADD, ...set(0),
    ...get(1), ...i32(16), I32_ADD, ...set(1),
    0x0c, 0, 0x0b, 0x0b,
  ];
}

function body(locals: number[][], code: number[]): number[] {
  const bytes = [locals.length, ...locals.flat(), ...code, 0x0b];
  return [...leb(bytes.length), ...bytes];
}

function sleb64(value: bigint): number[] {
  const out: number[] = [];
  for (;;) {
    const byte = Number(value & 0x7fn);
    value >>= 7n;
    if ((value === 0n && (byte & 0x40) === 0) || (value === -1n && (byte & 0x40) !== 0)) return [...out, byte];
    out.push(byte | 0x80);
  }
}

/**
 * pow(x, y) for x > 0 as exp(y·ln x): ln from the exponent bits and an atanh series on the mantissa
 * (scaled into [√½, √2]), exp by rounding to k·ln 2 and a degree-7 Taylor polynomial; ≈ 1e−8
 * relative error (far below the f32 rows it feeds), no call out of WebAssembly. Params x 0, y 1; locals bits 2 (i64), e 3, m 4, f 5, s 6, t 7, k 8, p 9 (f64).
 */
function powBody(): number[] {
  const LN2_HI = 0.6931471803691238;
  const LN2_LO = 1.9082149292705877e-10;
  // Estrin's scheme keeps both polynomials' dependency chains short (the kernel is latency-bound):
  // log series 1 + s/3 + s²/5 + s³/7 + s⁴/9 into p; s² in p first
  const logSeries: number[] = [
    ...get(6), ...f64(1 / 3), F64_MUL, ...f64(1), F64_ADD,
    ...get(6), ...get(6), F64_MUL, ...tee(9),
    ...get(6), ...f64(1 / 7), F64_MUL, ...f64(1 / 5), F64_ADD,
    ...get(9), ...f64(1 / 9), F64_MUL, F64_ADD,
    F64_MUL, F64_ADD, ...set(9),
  ];
  // Σ r^i / i!, i ≤ 7, with r in f, r² in m, r⁴ in e (both free by then)
  const c = [1, 1, 1 / 2, 1 / 6, 1 / 24, 1 / 120, 1 / 720, 1 / 5040];
  const pair = (low: number): number[] => [...get(5), ...f64(c[low + 1] as number), F64_MUL, ...f64(c[low] as number), F64_ADD];
  const expSeries: number[] = [
    ...get(5), ...get(5), F64_MUL, ...tee(4), ...get(4), F64_MUL, ...set(3),
    ...pair(0), ...pair(2), ...get(4), F64_MUL, F64_ADD,
    ...pair(4), ...pair(6), ...get(4), F64_MUL, F64_ADD,
    ...get(3), F64_MUL, F64_ADD, ...set(9),
  ];
  return body([[1, 0x7e], [7, 0x7c]], [
    ...get(0), I64_BITS, ...set(2),
    ...get(2), ...i64(52n), I64_SHR_U, ...i64(1023n), I64_SUB, F64_FROM_I64, ...set(3),
    ...get(2), ...i64(0x000fffffffffffffn), I64_AND, ...i64(0x3ff0000000000000n), I64_OR, F64_BITS, ...set(4),
    ...get(4), ...f64(Math.SQRT2), F64_GT,
    0x04, 0x40, ...get(4), ...f64(0.5), F64_MUL, ...set(4), ...get(3), ...f64(1), F64_ADD, ...set(3), 0x0b,
    ...get(4), ...f64(1), F64_SUB, ...get(4), ...f64(1), F64_ADD, F64_DIV, ...set(5),
    ...get(5), ...get(5), F64_MUL, ...set(6),
    ...logSeries,
    // t = y · (e·ln 2 + 2f·series)
    ...get(3), ...f64(LN2_HI + LN2_LO), F64_MUL, ...get(5), ...f64(2), F64_MUL, ...get(9), F64_MUL, F64_ADD, ...get(1), F64_MUL, ...set(7),
    ...get(7), ...f64(1 / Math.LN2), F64_MUL, F64_NEAREST, ...set(8),
    // r (reusing f) = t − k·ln 2, in two parts
    ...get(7), ...get(8), ...f64(LN2_HI), F64_MUL, F64_SUB, ...get(8), ...f64(LN2_LO), F64_MUL, F64_SUB, ...set(5),
    ...expSeries,
    ...get(9), ...get(8), I64_TRUNC, ...i64(1023n), I64_ADD, ...i64(52n), I64_SHL, F64_BITS, F64_MUL,
  ]);
}

function leb(value: number): number[] {
  const out: number[] = [];
  do {
    let byte = value & 0x7f;
    value >>>= 7;
    if (value !== 0) byte |= 0x80;
    out.push(byte);
  } while (value !== 0);
  return out;
}

function section(id: number, content: number[]): number[] {
  return [id, ...leb(content.length), ...content];
}

function moduleBytes(): Uint8Array {
  // dist: params a b bytes; locals 3 end, 4 end4 (i32), 5–8 four accumulators, 9 d (v128): 64 bytes a step, then 16
  const square = (offset: number, acc: number): number[] => [
    ...get(0), SIMD, 0x00, 4, offset, ...get(1), SIMD, 0x00, 4, offset, ...F32X4_SUB, ...tee(9), ...get(9), ...F32X4_MUL, ...get(acc), ...F32X4_ADD, ...set(acc),
  ];
  const advance = (step: number): number[] => [...get(0), ...i32(step), I32_ADD, ...set(0), ...get(1), ...i32(step), I32_ADD, ...set(1)];
  const dist = body([[2, 0x7f], [5, 0x7b]], [
    ...f32(0), ...F32X4_SPLAT, ...tee(5), ...tee(6), ...tee(7), ...set(8),
    ...get(0), ...get(2), I32_ADD, ...set(3),
    ...get(0), ...get(2), 0x41, 0x40, 0x71, I32_ADD, ...set(4), // end4 = a + (bytes & −64)
    0x02, 0x40, 0x03, 0x40,
    ...get(0), ...get(4), I32_GE_U, 0x0d, 1,
    ...square(0, 5), ...square(16, 6), ...square(32, 7), ...square(48, 8), ...advance(64),
    0x0c, 0, 0x0b, 0x0b,
    0x02, 0x40, 0x03, 0x40,
    ...get(0), ...get(3), I32_GE_U, 0x0d, 1,
    ...square(0, 5), ...advance(16),
    0x0c, 0, 0x0b, 0x0b,
    ...get(5), ...get(6), ...F32X4_ADD, ...get(7), ...get(8), ...F32X4_ADD, ...F32X4_ADD, ...tee(9),
    ...lane(0), ...get(9), ...lane(1), F32_ADD, ...get(9), ...lane(2), ...get(9), ...lane(3), F32_ADD, F32_ADD,
  ]);
  // both/one: params a b bytes c alpha; locals 5 end:i32, 6 c4, 7 alpha4, 8 hi, 9 lo, 10 current, 11 other, 12 g (v128)
  const setup = [...get(3), ...F32X4_SPLAT, ...set(6), ...get(4), ...F32X4_SPLAT, ...set(7), ...f32(4), ...F32X4_SPLAT, ...set(8), ...f32(-4), ...F32X4_SPLAT, ...set(9)];
  // g = max(min(c·(current − other), 4), −4)·alpha
  const gradient = [...get(10), ...get(11), ...F32X4_SUB, ...get(6), ...F32X4_MUL, ...get(8), ...F32X4_MIN, ...get(9), ...F32X4_MAX, ...get(7), ...F32X4_MUL, ...set(12)];
  const both = body([[1, 0x7f], [7, 0x7b]], [
    ...setup,
    ...loop(5, [
      ...get(0), ...V128_LOAD, ...set(10), ...get(1), ...V128_LOAD, ...set(11), ...gradient,
      ...get(0), ...get(10), ...get(12), ...F32X4_ADD, ...V128_STORE,
      ...get(1), ...get(11), ...get(12), ...F32X4_SUB, ...V128_STORE,
    ]),
  ]);
  const one = body([[1, 0x7f], [7, 0x7b]], [
    ...setup,
    ...loop(5, [...get(0), ...V128_LOAD, ...set(10), ...get(1), ...V128_LOAD, ...set(11), ...gradient, ...get(0), ...get(10), ...get(12), ...F32X4_ADD, ...V128_STORE]),
  ]);
  // edge: params j0 k1 negatives2 state3 n4 bytes5 a6 b7 twoAB8 twoGammaB9 alpha10; locals d2 11, p 12 (f64), o 13, i 14 (i32)
  const xorshift = (shift: number, op: number): number[] => [...get(3), ...get(3), ...i32(shift), op, I32_XOR, ...set(3)];
  const edge = body([[2, 0x7c], [2, 0x7f]], [
    ...get(0), ...get(1), ...get(5), ...call(DIST), PROMOTE, ...tee(11), ...f64(0), F64_GT,
    0x04, 0x40,
    ...get(11), ...get(7), ...f64(1), F64_SUB, ...call(POW), ...set(12),
    ...get(0), ...get(1), ...get(5),
    ...get(8), F64_NEG, ...get(12), F64_MUL, ...get(6), ...get(12), F64_MUL, ...get(11), F64_MUL, ...f64(1), F64_ADD, F64_DIV, DEMOTE,
    ...get(10), ...call(BOTH),
    0x0b,
    0x02, 0x40, 0x03, 0x40,
    ...get(14), ...get(2), I32_GE_S, 0x0d, 1,
    ...get(14), ...i32(1), I32_ADD, ...set(14),
    ...xorshift(13, I32_SHL), ...xorshift(17, I32_SHR_U), ...xorshift(5, I32_SHL),
    ...get(3), ...i32(1), I32_SHR_U, ...get(4), I32_REM_U, ...get(5), I32_MUL, ...set(13),
    0x02, 0x40,
    ...get(13), ...get(0), I32_EQ, 0x0d, 0,
    ...get(0), ...get(13), ...get(5), ...call(DIST), PROMOTE, ...tee(11), ...f64(0), F64_LE, 0x0d, 0,
    ...get(0), ...get(13), ...get(5),
    ...get(9), ...f64(0.001), ...get(11), F64_ADD, ...get(6), ...get(11), ...get(7), ...call(POW), F64_MUL, ...f64(1), F64_ADD, F64_MUL, F64_DIV, DEMOTE,
    ...get(10), ...call(ONE),
    0x0b,
    0x0c, 0, 0x0b, 0x0b,
    ...get(3),
  ]);
  // epoch: params edges0 rows1 columns2 perSample3 perNegative4 nextNegative5 nextSample6 epoch7 alpha8 state9 n10 bytes11 a12 b13 twoAB14 twoGammaB15;
  // locals e 16, e8 17 (i32), due 18, per 19 (f64), negatives 20 (i32)
  const F64_LOAD = [0x2b, 3, 0];
  const F64_STORE = [0x39, 3, 0];
  const at8 = (base: number): number[] => [...get(base), ...get(17), I32_ADD];
  const epoch = body([[2, 0x7f], [2, 0x7c], [1, 0x7f]], [
    0x02, 0x40, 0x03, 0x40,
    ...get(16), ...get(0), I32_GE_S, 0x0d, 1,
    ...get(16), ...i32(3), I32_SHL, ...set(17),
    0x02, 0x40,
    ...at8(6), ...F64_LOAD, ...tee(18), ...get(7), F64_GT, 0x0d, 0,
    ...at8(6), ...get(18), ...at8(3), ...F64_LOAD, F64_ADD, ...F64_STORE,
    ...at8(4), ...F64_LOAD, ...set(19),
    ...get(7), ...at8(5), ...F64_LOAD, F64_SUB, ...get(19), F64_DIV, 0x9c, 0xfc, 0x02, ...set(20),
    ...get(1), ...get(16), ...i32(2), I32_SHL, I32_ADD, 0x28, 2, 0,
    ...get(2), ...get(16), ...i32(2), I32_SHL, I32_ADD, 0x28, 2, 0,
    ...get(20), ...get(9), ...get(10), ...get(11), ...get(12), ...get(13), ...get(14), ...get(15), ...get(8), ...call(EDGE), ...set(9),
    ...get(20), ...i32(0), 0x4a,
    0x04, 0x40, ...at8(5), ...at8(5), ...F64_LOAD, ...get(20), 0xb7, ...get(19), F64_MUL, F64_ADD, ...F64_STORE, 0x0b,
    0x0b,
    ...get(16), ...i32(1), I32_ADD, ...set(16),
    0x0c, 0, 0x0b, 0x0b,
    ...get(9),
  ]);
  const name = (text: string): number[] => [text.length, ...Array.from(text, (c) => c.charCodeAt(0))];
  return Uint8Array.from([
    0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00,
    ...section(1, [
      5,
      0x60, 3, 0x7f, 0x7f, 0x7f, 1, 0x7d,
      0x60, 5, 0x7f, 0x7f, 0x7f, 0x7d, 0x7d, 0,
      0x60, 11, 0x7f, 0x7f, 0x7f, 0x7f, 0x7f, 0x7f, 0x7c, 0x7c, 0x7c, 0x7c, 0x7d, 1, 0x7f,
      0x60, 2, 0x7c, 0x7c, 1, 0x7c,
      0x60, 16, 0x7f, 0x7f, 0x7f, 0x7f, 0x7f, 0x7f, 0x7f, 0x7c, 0x7d, 0x7f, 0x7f, 0x7f, 0x7c, 0x7c, 0x7c, 0x7c, 1, 0x7f,
    ]),
    ...section(2, [1, ...name('env'), ...name('memory'), 0x02, 0x00, 0x01]),
    ...section(3, [6, 3, 0, 1, 1, 2, 4]),
    ...section(7, [6, ...name('pow'), 0x00, POW, ...name('dist'), 0x00, DIST, ...name('both'), 0x00, BOTH, ...name('one'), 0x00, ONE, ...name('edge'), 0x00, EDGE, ...name('epoch'), 0x00, 5]),
    ...section(10, [6, ...powBody(), ...dist, ...both, ...one, ...edge, ...epoch]),
  ]);
}

/** The slice of the WebAssembly JS API used here (the project's TS lib has no DOM/WebAssembly types). */
interface WasmApi {
  Module: new (bytes: Uint8Array) => object;
  Instance: new (module: object, imports: object) => { exports: Record<string, unknown> };
  Memory: new (descriptor: { initial: number }) => { buffer: ArrayBuffer };
}
const wasm = (globalThis as unknown as { WebAssembly?: WasmApi }).WebAssembly;
let compiled: object | null | undefined;

/** Instantiates the kernels over a fresh memory of at least `bytes` bytes, or returns undefined where WebAssembly SIMD is unavailable. */
export function createSimdKernels(bytes: number): SimdKernels | undefined {
  // offsets are i32 byte counts: keep the memory below 2 GiB
  if (wasm === undefined || bytes >= 2 ** 31) return undefined;
  if (compiled === undefined) {
    try {
      compiled = new wasm.Module(moduleBytes());
    } catch {
      compiled = null; // no WebAssembly SIMD here: callers fall back to their JS loops
    }
  }
  if (compiled === null) return undefined;
  const memory = new wasm.Memory({ initial: Math.max(1, Math.ceil(bytes / 65536)) });
  const exports = new wasm.Instance(compiled, { env: { memory } }).exports as unknown as Omit<SimdKernels, 'memory'>;
  return { memory, pow: exports.pow, dist: exports.dist, both: exports.both, one: exports.one, edge: exports.edge, epoch: exports.epoch };
}
