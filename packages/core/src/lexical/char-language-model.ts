/**
 * A character n-gram language model of the corpus (Witten–Bell interpolation, lowercased text),
 * kept in fixed-size hashed count tables so it builds in one linear pass and stores in a few MB.
 * It answers "how typical of this corpus is this text, character by character?": the mean log
 * probability per character, which separates the corpus's own style and vocabulary from other text.
 */
export interface CharLanguageModel {
  /** Context length: order 4 means 5-grams. */
  readonly order: number;
  /** Buckets per table (a power of two). */
  readonly buckets: number;
  /** Counts of n-grams (every order), by hashed n-gram. */
  readonly grams: Uint32Array;
  /** How often each context was followed by any character. */
  readonly totals: Uint32Array;
  /** How many distinct characters followed each context. */
  readonly uniques: Uint32Array;
}

const BEGIN = 0x02;
const END = 0x03;
/** Probability floor of a character never seen after any context (a 2^16-symbol alphabet). */
const FLOOR = 1 / 65536;

/** An empty model sized for `characters` characters of training text (buckets: a power of two in [2^16, 2^22]). */
export function createCharLanguageModel(characters: number, order = 4): CharLanguageModel {
  let buckets = 1 << 16;
  while (buckets < characters / 2 && buckets < 1 << 22) buckets *= 2;
  return { order, buckets, grams: new Uint32Array(buckets), totals: new Uint32Array(buckets), uniques: new Uint32Array(buckets) };
}

/** Adds a text's n-grams to the model (sign 1), or takes them out again (sign -1, to leave a chunk out). */
export function updateCharLanguageModel(model: CharLanguageModel, text: string, sign: 1 | -1 = 1): void {
  const codes = padded(text, model.order);
  const mask = model.buckets - 1;
  for (let i = model.order; i < codes.length; i++) {
    let context = 0x811c9dc5;
    for (let n = 0; n <= model.order; n++) {
      if (n > 0) context = mix(context, codes[i - n]!);
      const c = (context ^ Math.imul(n + 1, 0x9e3779b1)) >>> 0;
      const g = mix(c, codes[i]!) & mask;
      const h = mix(c, 0x10ffff + n) & mask;
      if (sign > 0) {
        if (model.grams[g]! === 0) model.uniques[h]!++;
        model.grams[g]!++;
        model.totals[h]!++;
      } else {
        if (model.grams[g]! > 0) model.grams[g]!--;
        if (model.grams[g]! === 0 && model.uniques[h]! > 0) model.uniques[h]!--;
        if (model.totals[h]! > 0) model.totals[h]!--;
      }
    }
  }
}

/** Mean natural-log probability per character of the text under the model (higher = more like the corpus); 0 for no characters. */
export function charLanguageModelScore(model: CharLanguageModel, text: string): number {
  const codes = padded(text, model.order);
  const mask = model.buckets - 1;
  let sum = 0;
  for (let i = model.order; i < codes.length; i++) {
    let context = 0x811c9dc5;
    let p = FLOOR;
    for (let n = 0; n <= model.order; n++) {
      if (n > 0) context = mix(context, codes[i - n]!);
      const c = (context ^ Math.imul(n + 1, 0x9e3779b1)) >>> 0;
      const h = mix(c, 0x10ffff + n) & mask;
      const total = model.totals[h]!;
      if (total === 0) continue;
      const lambda = total / (total + model.uniques[h]!);
      p = (lambda * Math.min(model.grams[mix(c, codes[i]!) & mask]!, total)) / total + (1 - lambda) * p;
    }
    sum += Math.log(p);
  }
  const count = codes.length - model.order;
  return count > 0 ? sum / count : 0;
}

/** Lowercased code units with `order` begin markers and one end marker. */
function padded(text: string, order: number): Uint16Array {
  const lower = text.toLowerCase();
  const codes = new Uint16Array(lower.length + order + 1);
  codes.fill(BEGIN, 0, order);
  for (let i = 0; i < lower.length; i++) codes[order + i] = lower.charCodeAt(i);
  codes[codes.length - 1] = END;
  return codes;
}

// One FNV-1a-style step, with a final avalanche so nearby codes spread over the table.
function mix(hash: number, code: number): number {
  let h = Math.imul(hash ^ code, 0x01000193) >>> 0;
  h ^= h >>> 15;
  h = Math.imul(h, 0x2c1b3c6d) >>> 0;
  h ^= h >>> 12;
  return h >>> 0;
}
