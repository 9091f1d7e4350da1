export { wordSpans, words, type WordSpan } from './word-spans.js';
export { createCharLanguageModel, updateCharLanguageModel, charLanguageModelScore, type CharLanguageModel } from './char-language-model.js';
export {
  buildLexicalIndex,
  encodeLexicalIndex,
  decodeLexicalIndex,
  tokenCoverage,
  inverseDocumentFrequency,
  longestOverlapSpan,
  type LexicalIndex,
  type LexicalIndexJson,
  type OverlapSpan,
} from './lexical-index.js';
