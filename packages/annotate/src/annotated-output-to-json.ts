import { InvalidInputError, type AnnotatedOutput, type Annotation, type CorpusStage } from '@corpus-proximity/core';

/** One annotation as stored in annotated JSONL (snake_case, as the Python prototype's to_dict wrote it). */
export interface AnnotationJson {
  text_span: string;
  char_start: number;
  char_end: number;
  sentence_index: number;
  cluster_id: string;
  cluster_name: string;
  cluster_depth: number;
  cluster_path: string[];
  distance: number;
  rank: number;
  corpus_stage: CorpusStage | null;
  nearest_chunk_idx: number;
  nearest_chunk_text: string;
  is_noise: boolean;
  /** Mean token logprob of the sentence; only when the output came with logprobs. */
  avg_logprob?: number;
}

/** An annotated output as stored in annotated JSONL. */
export interface AnnotatedOutputJson {
  prompt: string | null;
  text: string;
  annotations: AnnotationJson[];
  annotation_metadata: {
    timestamp: string;
    corpus_index_path: string;
    k: number;
    phrase_level: boolean;
    embedder_id: string;
  };
}

/** Converts an annotated output to the snake_case JSON shape of annotated JSONL files. */
export function annotatedOutputToJson(output: AnnotatedOutput): AnnotatedOutputJson {
  return {
    prompt: output.prompt,
    text: output.text,
    annotations: output.annotations.map((annotation) => ({
      text_span: annotation.textSpan,
      char_start: annotation.charStart,
      char_end: annotation.charEnd,
      sentence_index: annotation.sentenceIndex,
      cluster_id: annotation.clusterId,
      cluster_name: annotation.clusterName,
      cluster_depth: annotation.clusterDepth,
      cluster_path: [...annotation.clusterPath],
      distance: annotation.distance,
      rank: annotation.rank,
      corpus_stage: annotation.corpusStage,
      nearest_chunk_idx: annotation.nearestChunkIdx,
      nearest_chunk_text: annotation.nearestChunkText,
      is_noise: annotation.isNoise,
      ...(annotation.avgLogprob !== undefined ? { avg_logprob: annotation.avgLogprob } : {}),
    })),
    annotation_metadata: {
      timestamp: output.metadata.timestamp,
      corpus_index_path: output.metadata.corpusIndexPath,
      k: output.metadata.k,
      phrase_level: output.metadata.phraseLevel,
      embedder_id: output.metadata.embedderId,
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
    return {
      textSpan: field('text_span', isString, 'a string'),
      charStart: field('char_start', isInteger, 'an integer'),
      charEnd: field('char_end', isInteger, 'an integer'),
      sentenceIndex: field('sentence_index', isInteger, 'an integer'),
      clusterId: field('cluster_id', isString, 'a string'),
      clusterName: field('cluster_name', isString, 'a string'),
      clusterDepth: field('cluster_depth', isInteger, 'an integer'),
      clusterPath: field('cluster_path', (v) => Array.isArray(v) && v.every(isString), 'an array of strings'),
      distance: field('distance', isNumber, 'a number'),
      rank: field('rank', isInteger, 'an integer'),
      corpusStage: field('corpus_stage', (v) => v === null || v === undefined || isString(v), 'a string or null') ?? null,
      nearestChunkIdx: field('nearest_chunk_idx', isInteger, 'an integer'),
      nearestChunkText: field('nearest_chunk_text', isString, 'a string'),
      isNoise: field('is_noise', (v) => v === undefined || typeof v === 'boolean', 'a boolean') ?? false,
      ...(a.avg_logprob !== undefined ? { avgLogprob: field<number>('avg_logprob', isNumber, 'a number') } : {}),
    };
  });
  const text = record.text;
  if (!isString(text)) fail('text must be a string');
  const prompt = record.prompt ?? null;
  if (prompt !== null && !isString(prompt)) fail('prompt must be a string or null');
  const meta = <T>(name: string, check: (v: unknown) => boolean, kind: string): T =>
    check(metadata[name]) ? (metadata[name] as T) : fail(`annotation_metadata.${name} must be ${kind}`);
  return {
    prompt: prompt as string | null,
    text: text as string,
    annotations,
    metadata: {
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
