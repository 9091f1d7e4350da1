import { InvalidInputError, type AnnotatedOutput, type Annotation, type CorpusStage } from '@corpus-proximity/core';

/** One annotation as stored in annotated JSONL (snake_case, as the Python prototype's to_dict wrote it). */
export interface AnnotationJson {
  text_span: string;
  char_start: number;
  char_end: number;
  sentence_index: number;
  /** null when no_evidence (no cluster). */
  cluster_id: string | null;
  cluster_name: string | null;
  cluster_depth: number;
  cluster_path: string[];
  /** Cosine distance to the nearest chunk; null when no_evidence. */
  distance: number | null;
  rank: number;
  corpus_stage: CorpusStage | null;
  /** null when no_evidence. */
  nearest_chunk_idx: number | null;
  nearest_chunk_text: string;
  is_noise: boolean;
  /** GLOSH outlier score of the nearest chunk; layered trees only. */
  outlier_score?: number | null;
  span_kind?: 'prose' | 'code' | 'math';
  no_evidence?: boolean;
  in_distribution?: number | null;
  confidence?: 'HIGH' | 'MEDIUM' | 'LOW' | 'NO_EVIDENCE';
  lexical_score?: number;
  token_coverage?: number;
  overlap_span?: { chunk_idx: number; words: number; sentence_start: number; sentence_end: number; chunk_start: number; chunk_end: number } | null;
  /** Mean token logprob of the sentence; only when the output came with logprobs. */
  avg_logprob?: number;
}

/** An annotated output as stored in annotated JSONL. */
export interface AnnotatedOutputJson {
  prompt: string | null;
  text: string;
  annotations: AnnotationJson[];
  confidence?: 'HIGH' | 'MEDIUM' | 'LOW' | 'NO_EVIDENCE';
  mean_in_distribution?: number | null;
  annotation_metadata: {
    timestamp: string;
    corpus_index_path: string;
    k: number;
    phrase_level: boolean;
    embedder_id: string;
    calibration?: string;
  };
}

/** Converts an annotated output to the snake_case JSON shape of annotated JSONL files. */
export function annotatedOutputToJson(output: AnnotatedOutput): AnnotatedOutputJson {
  return {
    prompt: output.prompt,
    text: output.text,
    annotations: output.annotations.map((annotation) => {
      const none = annotation.noEvidence === true;
      const json: AnnotationJson = {
        text_span: annotation.textSpan,
        char_start: annotation.charStart,
        char_end: annotation.charEnd,
        sentence_index: annotation.sentenceIndex,
        cluster_id: none ? null : annotation.clusterId,
        cluster_name: none ? null : annotation.clusterName,
        cluster_depth: annotation.clusterDepth,
        cluster_path: [...annotation.clusterPath],
        distance: none ? null : annotation.distance,
        rank: annotation.rank,
        corpus_stage: annotation.corpusStage,
        nearest_chunk_idx: none ? null : annotation.nearestChunkIdx,
        nearest_chunk_text: annotation.nearestChunkText,
        is_noise: annotation.isNoise,
        ...(annotation.outlierScore !== undefined ? { outlier_score: annotation.outlierScore } : {}),
      };
      if (annotation.spanKind !== undefined) json.span_kind = annotation.spanKind;
      if (annotation.noEvidence !== undefined) json.no_evidence = annotation.noEvidence;
      if (annotation.inDistribution !== undefined) json.in_distribution = annotation.inDistribution;
      if (annotation.confidence !== undefined) json.confidence = annotation.confidence;
      if (annotation.lexicalScore !== undefined) json.lexical_score = annotation.lexicalScore;
      if (annotation.tokenCoverage !== undefined) json.token_coverage = annotation.tokenCoverage;
      if (annotation.avgLogprob !== undefined) json.avg_logprob = annotation.avgLogprob;
      if (annotation.overlapSpan !== undefined) {
        const span = annotation.overlapSpan;
        json.overlap_span = span && { chunk_idx: span.chunkIdx, words: span.words, sentence_start: span.sentenceStart, sentence_end: span.sentenceEnd, chunk_start: span.chunkStart, chunk_end: span.chunkEnd };
      }
      return json;
    }),
    ...(output.confidence !== undefined ? { confidence: output.confidence } : {}),
    ...(output.meanInDistribution !== undefined ? { mean_in_distribution: output.meanInDistribution } : {}),
    annotation_metadata: {
      timestamp: output.metadata.timestamp,
      corpus_index_path: output.metadata.corpusIndexPath,
      k: output.metadata.k,
      phrase_level: output.metadata.phraseLevel,
      embedder_id: output.metadata.embedderId,
      ...(output.metadata.calibration !== undefined ? { calibration: output.metadata.calibration } : {}),
    },
  };
}

/**
 * Reads an annotated output back from its JSON shape (one line of annotated JSONL), checking each field.
 * `where` names the place for error messages (file and line).
 */
export function annotatedOutputFromJson(value: unknown, where: { file?: string; line?: number } = {}): AnnotatedOutput {
  const fail = (message: string): never => {
    const place = where.file ? ` (${where.file}${where.line === undefined ? '' : `:${where.line}`})` : '';
    throw new InvalidInputError(`annotated output${place}: ${message}; expected the JSON written by annotatedOutputToJson`, where);
  };
  const record = asObject(value, 'the record', fail);
  const metadata = asObject(record.annotation_metadata, 'annotation_metadata', fail);
  if (!Array.isArray(record.annotations)) fail('annotations must be an array');
  const annotations = (record.annotations as unknown[]).map((item, position): Annotation => {
    const a = asObject(item, `annotations[${position}]`, fail);
    const field = <T>(name: string, check: (v: unknown) => boolean, kind: string): T =>
      check(a[name]) ? (a[name] as T) : fail(`annotations[${position}].${name} must be ${kind}`);
    const none = a.no_evidence === true;
    const optional = <T>(name: string, check: (v: unknown) => boolean, kind: string): T | undefined => (a[name] === undefined ? undefined : field<T>(name, check, kind));
    const span = optional<Record<string, number> | null>('overlap_span', (v) => v === null || (typeof v === 'object' && !Array.isArray(v)), 'an object or null');
    const extra: Partial<Annotation> = {};
    const kind = optional<Annotation['spanKind']>('span_kind', (v) => v === 'prose' || v === 'code' || v === 'math', 'prose, code or math');
    if (kind !== undefined) extra.spanKind = kind;
    if (a.no_evidence !== undefined) extra.noEvidence = field('no_evidence', (v) => typeof v === 'boolean', 'a boolean');
    const inDist = optional<number | null>('in_distribution', (v) => v === null || isNumber(v), 'a number or null');
    if (inDist !== undefined) extra.inDistribution = inDist;
    const conf = optional<Annotation['confidence']>('confidence', (v) => v === 'HIGH' || v === 'MEDIUM' || v === 'LOW' || v === 'NO_EVIDENCE', 'HIGH, MEDIUM, LOW or NO_EVIDENCE');
    if (conf !== undefined) extra.confidence = conf;
    const lexicalScore = optional<number>('lexical_score', isNumber, 'a number');
    if (lexicalScore !== undefined) extra.lexicalScore = lexicalScore;
    const coverage = optional<number>('token_coverage', isNumber, 'a number');
    if (coverage !== undefined) extra.tokenCoverage = coverage;
    if (span !== undefined) {
      extra.overlapSpan = span && { chunkIdx: span.chunk_idx!, words: span.words!, sentenceStart: span.sentence_start!, sentenceEnd: span.sentence_end!, chunkStart: span.chunk_start!, chunkEnd: span.chunk_end! };
    }
    return {
      ...extra,
      textSpan: field('text_span', isString, 'a string'),
      charStart: field('char_start', isInteger, 'an integer'),
      charEnd: field('char_end', isInteger, 'an integer'),
      sentenceIndex: field('sentence_index', isInteger, 'an integer'),
      clusterId: none && a.cluster_id === null ? '' : field('cluster_id', isString, 'a string'),
      clusterName: none && a.cluster_name === null ? '' : field('cluster_name', isString, 'a string'),
      clusterDepth: field('cluster_depth', isInteger, 'an integer'),
      clusterPath: field('cluster_path', (v) => Array.isArray(v) && v.every(isString), 'an array of strings'),
      distance: none && a.distance === null ? 1 : field('distance', isNumber, 'a number'),
      rank: field('rank', isInteger, 'an integer'),
      corpusStage: field('corpus_stage', (v) => v === null || v === undefined || isString(v), 'a string or null') ?? null,
      nearestChunkIdx: none && a.nearest_chunk_idx === null ? -1 : field('nearest_chunk_idx', isInteger, 'an integer'),
      nearestChunkText: field('nearest_chunk_text', isString, 'a string'),
      isNoise: field('is_noise', (v) => v === undefined || typeof v === 'boolean', 'a boolean') ?? false,
      ...(a.outlier_score !== undefined ? { outlierScore: field<number | null>('outlier_score', (v) => v === null || isNumber(v), 'a number or null') } : {}),
      ...(a.avg_logprob !== undefined ? { avgLogprob: field<number>('avg_logprob', isNumber, 'a number') } : {}),
    };
  });
  const text = record.text;
  if (!isString(text)) fail('text must be a string');
  const prompt = record.prompt ?? null;
  if (prompt !== null && !isString(prompt)) fail('prompt must be a string or null');
  const meta = <T>(name: string, check: (v: unknown) => boolean, kind: string): T =>
    check(metadata[name]) ? (metadata[name] as T) : fail(`annotation_metadata.${name} must be ${kind}`);
  const confidence = record.confidence;
  if (confidence !== undefined && confidence !== 'HIGH' && confidence !== 'MEDIUM' && confidence !== 'LOW' && confidence !== 'NO_EVIDENCE') fail('confidence must be HIGH, MEDIUM, LOW or NO_EVIDENCE');
  const mean = record.mean_in_distribution;
  if (mean !== undefined && mean !== null && !isNumber(mean)) fail('mean_in_distribution must be a number or null');
  const calibration = metadata.calibration;
  if (calibration !== undefined && !isString(calibration)) fail('annotation_metadata.calibration must be a string');
  return {
    prompt: prompt as string | null,
    text: text as string,
    annotations,
    ...(confidence !== undefined ? { confidence: confidence as AnnotatedOutput['confidence'] } : {}),
    ...(mean !== undefined ? { meanInDistribution: mean as number | null } : {}),
    metadata: {
      ...(calibration !== undefined ? { calibration: calibration as string } : {}),
      timestamp: meta('timestamp', isString, 'a string'),
      corpusIndexPath: meta('corpus_index_path', isString, 'a string'),
      k: meta('k', isInteger, 'an integer'),
      phraseLevel: meta('phrase_level', (v) => typeof v === 'boolean', 'a boolean'),
      // Files written by the Python prototype have no embedder id.
      embedderId: meta('embedder_id', (v) => v === undefined || isString(v), 'a string') ?? 'unknown',
    },
  };
}

function isString(value: unknown): value is string {
  return typeof value === 'string';
}
function isNumber(value: unknown): value is number {
  return typeof value === 'number' && Number.isFinite(value);
}
function isInteger(value: unknown): value is number {
  return Number.isInteger(value);
}
/** The value as a plain object, or a failure naming it. */
function asObject(value: unknown, name: string, fail: (message: string) => never): Record<string, unknown> {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) fail(`${name} must be an object`);
  return value as Record<string, unknown>;
}
