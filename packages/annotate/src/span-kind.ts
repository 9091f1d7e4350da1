/** What a span of a model output is: prose is matched against the corpus; code and math are reported as such. */
export type SpanKind = 'prose' | 'code' | 'math';

const FENCED = /^(`{3,}|~{3,})/;
const INLINE_CODE_ONLY = /^`[^`]+`[.;:,]?$/;
const MATH_ONLY = /^(\$\$[\s\S]+\$\$|\$[^$]+\$|\\\[[\s\S]+\\\]|\\\([\s\S]+\\\))[.;:,]?$/;
// Statement syntax that prose rarely has.
const CODE_SYNTAX = /[{};]\s*$|=>|\)\s*\{|^\s*(def|function|class|import|from|const|let|var|return|#include|public|private)\b|^\s*[\w.]+\(.*\)\s*;?$/;
const PROSE_WORD = /^["'(]?[A-Za-z][a-z]+[,.;:!?)"']*$/;

/** Classifies a sentence: a fenced block or code-looking line is code, a formula with no prose is math, the rest is prose. */
export function spanKind(text: string): SpanKind {
  const trimmed = text.trim();
  if (FENCED.test(trimmed) || INLINE_CODE_ONLY.test(trimmed)) return 'code';
  if (MATH_ONLY.test(trimmed)) return 'math';
  const pieces = trimmed.split(/\s+/);
  const proseShare = pieces.filter((piece) => PROSE_WORD.test(piece)).length / pieces.length;
  if (CODE_SYNTAX.test(trimmed) && proseShare < 0.5) return 'code';
  // Symbols and single letters with no word of three letters: a formula ("x^2 + 2x = 3", "∫ f(x) dx").
  if (/[=^+\-*/<>∑∫√≤≥≈×÷∂]/.test(trimmed) && !/[A-Za-z]{3,}/.test(trimmed.replace(/\\[A-Za-z]+/g, ''))) return 'math';
  return 'prose';
}
