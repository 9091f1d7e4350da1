/**
 * A character n-gram language model of the corpus (Witten–Bell interpolation, case kept),
 * kept in fixed-size hashed count tables so it builds in one linear pass and stores in a few MB.
 * It answers "how typical of this corpus is this text, character by character?": the mean log
 * probability per character, which separates the corpus's own style and vocabulary from other text.
 * One table counts every n-gram (orders 1…order+1); a context's total is its own count as an
 * n-gram, so only a second table of distinct continuations is needed.
 */
export interface CharLanguageModel {
  /** Context length: order 4 means 5-grams. */
  readonly order: number;
  /** Buckets per table (a power of two). */
  readonly buckets: number;
  /** Counts of n-grams of every length, by hashed n-gram. */
  readonly grams: Uint32Array;
  /** How many distinct characters followed each context (by the context's hash). */
  readonly uniques: Uint32Array;
  /** [characters counted, distinct characters]: the empty context's total and uniques. */
  readonly unigram: Uint32Array;
}

const BEGIN = 0x02;
const END = 0x03;
/** Probability floor of a character never seen at all. */
const FLOOR = 1 / 65536;

/** An empty model sized for `characters` characters of training text (buckets: a power of two in [2^16, 2^22], about one per character). */
export function createCharLanguageModel(characters: number, order = 4): CharLanguageModel {
  let buckets = 1 << 16;
  while (buckets < characters && buckets < 1 << 22) buckets *= 2;
  return { order, buckets, grams: new Uint32Array(buckets), uniques: new Uint32Array(buckets), unigram: new Uint32Array(2) };
}

/** Adds a text's n-grams to the model (sign 1), or takes them out again (sign -1, to leave a chunk out). */
export function updateCharLanguageModel(model: CharLanguageModel, text: string, sign: 1 | -1 = 1): void {
  const codes = padded(text, model.order);
  const mask = model.buckets - 1;
  const { grams, uniques, unigram } = model;
  let previous = new Uint32Array(model.order + 1);
  let current = new Uint32Array(model.order + 1);
  for (let i = 0; i < codes.length; i++) {
    const top = Math.min(model.order, i);
    for (let n = 0; n <= top; n++) {
      // Hash of codes[i-n..i], built from the last character backwards; its context codes[i-n..i-1] is previous[n-1].
      const hash = n === 0 ? mix(0x811c9dc5, codes[i]!) : mix(current[n - 1]!, codes[i - n]!);
      current[n] = hash;
      const g = hash & mask;
      if (sign > 0) {
        if (grams[g] === 0) {
          if (n === 0) unigram[1]!++;
          else uniques[previous[n - 1]! & mask]!++;
        }
        grams[g]!++;
      } else if (grams[g]! > 0) {
        grams[g]!--;
        if (grams[g] === 0) {
          if (n === 0) unigram[1] = Math.max(0, unigram[1]! - 1);
          else if (uniques[previous[n - 1]! & mask]! > 0) uniques[previous[n - 1]! & mask]!--;
        }
      }
    }
    if (sign > 0) unigram[0]!++;
    else if (unigram[0]! > 0) unigram[0]!--;
    [previous, current] = [current, previous];
  }
}

/** Mean natural-log probability per character of the text under the model (higher = more like the corpus); 0 for no characters. */
export function charLanguageModelScore(model: CharLanguageModel, text: string): number {
  const codes = padded(text, model.order);
  const mask = model.buckets - 1;
  const { grams, uniques, unigram } = model;
  let previous = new Uint32Array(model.order + 1);
  let current = new Uint32Array(model.order + 1);
  let sum = 0;
  for (let i = 0; i < codes.length; i++) {
    let p = FLOOR;
    for (let n = 0; n <= Math.min(model.order, i); n++) {
      const hash = n === 0 ? mix(0x811c9dc5, codes[i]!) : mix(current[n - 1]!, codes[i - n]!);
      current[n] = hash;
      const total = n === 0 ? unigram[0]! : grams[previous[n - 1]! & mask]!;
      if (total === 0) continue;
      // At least one continuation: hash collisions and leave-one-out can leave a context with a total but none.
      const distinct = Math.max(1, n === 0 ? unigram[1]! : uniques[previous[n - 1]! & mask]!);
      const lambda = total / (total + distinct);
      p = (lambda * Math.min(grams[hash & mask]!, total)) / total + (1 - lambda) * p;
    }
    // The begin markers are context only, never predicted.
    if (i >= model.order) sum += Math.log(p);
    [previous, current] = [current, previous];
  }
  const count = codes.length - model.order;
  return count > 0 ? sum / count : 0;
}

/** The text's UTF-16 code units, case kept (capitalization is part of a corpus's style), with `order` begin markers and one end marker. */
function padded(text: string, order: number): Uint16Array {
  const source = text;
  const codes = new Uint16Array(source.length + order + 1);
  codes.fill(BEGIN, 0, order);
  for (let i = 0; i < source.length; i++) codes[order + i] = source.charCodeAt(i);
  codes[codes.length - 1] = END;
  return codes;
}

// One FNV-1a-style step with an avalanche, so nearby codes spread over the table.
function mix(hash: number, code: number): number {
  let h = Math.imul(hash ^ code, 0x01000193) >>> 0;
  h ^= h >>> 15;
  h = Math.imul(h, 0x2c1b3c6d) >>> 0;
  h ^= h >>> 12;
  return h >>> 0;
}
