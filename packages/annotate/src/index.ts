export { splitSentences, type SentenceSpan } from './split-sentences.js';
export { annotateText, type AnnotateTextOptions } from './annotate-text.js';
export { annotateBatch, type AnnotateBatchOptions, type AnnotateItem, type AnnotateOptions } from './annotate-batch.js';
export { assertEmbedderMatchesIndex } from './assert-embedder-matches-index.js';
export { nearestClusters, type ClusterHit } from './nearest-clusters.js';
export {
  formatChess,
  confidenceOf,
  groupBySentence,
  DEFAULT_DISTANCE_BANDS,
  type Confidence,
  type DistanceBands,
  type FormatChessOptions,
} from './format-chess.js';
export { formatCompact } from './format-compact.js';
export { spanKind, type SpanKind } from './span-kind.js';
export { RAW_DISTANCE_BANDS } from './annotation-evidence.js';
export {
  annotatedOutputToJson,
  annotatedOutputFromJson,
  type AnnotatedOutputJson,
  type AnnotationJson,
} from './annotated-output-to-json.js';
export { formatAnnotations, type AnnotationFormat, type FormatAnnotationsOptions } from './format-annotations.js';
export { chiSquareTest, type ChiSquareResult } from './chi-square-test.js';
export { cramersV } from './cramers-v.js';
export { fisherExact, type FisherAlternative, type FisherExactResult } from './fisher-exact.js';
export { clusterContingency, type ClusterContingency, type ClusterContingencyOptions } from './cluster-contingency.js';
export { chiSquareSurvival } from './special-functions.js';
export {
  openIndex,
  resolveQueryEmbedder,
  type OpenIndexOptions,
  type OpenIndexItem,
  type OpenedIndex,
  type OpenedAnnotateOptions,
  type ChunkHit,
  type ClusterSummary,
} from './open-index.js';
export { readTokenLogprobs, averageLogprob, type TokenLogprob, type TokenLogprobsReading, type LogprobsFormat } from './token-logprobs.js';
export { attachAvgLogprobs } from './attach-avg-logprobs.js';
export {
  analyzeAnnotations,
  type AnalyzeItem,
  type AnalyzeOptions,
  type AnalysisResult,
  type ClusterFinding,
  type LevelSummary,
  type ScoreRelation,
} from './analyze-annotations.js';
export { benjaminiHochberg } from './benjamini-hochberg.js';
export { mannWhitneyU, normalSurvival, pearsonCorrelation, type MannWhitneyResult } from './mann-whitney.js';
export { analysisToJson, formatAnalysis, type AnalysisJson, type ScoreRelationJson } from './format-analysis.js';
