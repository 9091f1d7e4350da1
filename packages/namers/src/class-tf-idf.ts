/** One scored term of a class (a cluster), best first. */
export interface ScoredTerm {
  term: string;
  score: number;
}

/** Lowercase word tokens of a text: letters and digits, 2–30 characters, at least one letter, no stop words. */
export function tokenize(text: string, stopWords: ReadonlySet<string>): string[] {
  const tokens: string[] = [];
  for (const match of text.toLowerCase().matchAll(/[\p{L}\p{N}]+(?:['’][\p{L}]+)?/gu)) {
    // Drop possessive endings ("bird's" → "bird") so they count with the plain word.
    const token = match[0].replace(/['’]s$/u, '').replace(/['’]/gu, '');
    if (token.length < 2 || token.length > 30) continue;
    if (!/\p{L}/u.test(token)) continue;
    if (stopWords.has(token)) continue;
    tokens.push(token);
  }
  return tokens;
}

/**
 * Class-based TF-IDF (BERTopic's c-TF-IDF) of one class against others: every class is the
 * concatenation of its texts; weight(t, c) = tf(t, c) / |c| · log(1 + A / f(t)), with A the
 * average class size in tokens and f(t) the frequency of t over all classes. The `1 +` keeps
 * a single class meaningful. tf counts the texts that contain t (not raw occurrences), so one
 * text repeating a word cannot dominate the cluster. Ties break alphabetically: deterministic.
 */
export function classTfIdf(target: string[], others: string[][], stopWords: ReadonlySet<string>, cache?: ClassTermCache): ScoredTerm[] {
  const classes = [target, ...others].map((texts) => {
    // Siblings are scored again for every cluster of a level: count each text array once.
    let counted = cache?.get(texts);
    if (counted === undefined) {
      counted = countTerms(texts, stopWords);
      cache?.set(texts, counted);
    }
    return counted;
  });
  const totalFrequency = new Map<string, number>();
  let totalTokens = 0;
  for (const { counts, tokens } of classes) {
    totalTokens += tokens;
    for (const [term, count] of counts) totalFrequency.set(term, (totalFrequency.get(term) ?? 0) + count);
  }
  const own = classes[0]!;
  if (own.tokens === 0) return [];
  const averageTokens = totalTokens / classes.length;
  const scored: ScoredTerm[] = [];
  for (const [term, count] of own.counts) {
    const idf = Math.log(1 + averageTokens / totalFrequency.get(term)!);
    scored.push({ term, score: (count / own.tokens) * idf });
  }
  scored.sort((a, b) => b.score - a.score || (a.term < b.term ? -1 : a.term > b.term ? 1 : 0));
  return scored;
}

/** Term counts per text array, reused while the same arrays are passed again (keyed by identity). */
export type ClassTermCache = WeakMap<readonly string[], { counts: Map<string, number>; tokens: number }>;

/** Per-term count of texts containing it, and the total of those counts. */
function countTerms(texts: string[], stopWords: ReadonlySet<string>): { counts: Map<string, number>; tokens: number } {
  const counts = new Map<string, number>();
  let tokens = 0;
  for (const text of texts) {
    for (const term of new Set(tokenize(text, stopWords))) {
      counts.set(term, (counts.get(term) ?? 0) + 1);
      tokens++;
    }
  }
  return { counts, tokens };
}
