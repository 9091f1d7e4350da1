import type { CorpusIndexData, SearchHit } from '../index-format/corpus-index.js';
import { buildLexicalIndex } from '../lexical/lexical-index.js';
import type { EmbedderV1 } from '../specs.js';
import type { ProgressListener } from '../types.js';
import { computeCalibration } from './compute-calibration.js';

/** Options of buildIndexEvidence. */
export interface BuildIndexEvidenceOptions {
  /** Embeds held-out sentences; without one the calibration is chunk-to-chunk. */
  embedder?: EmbedderV1;
  seed?: number;
  samples?: number;
  onProgress?: ProgressListener;
  /** Told why there is no calibration (a corpus too small). */
  onWarning?: (message: string) => void;
  /** How held-out sentences are cut from chunks (see ComputeCalibrationOptions.splitSentences). */
  splitSentences?: (text: string) => string[];
  abortSignal?: AbortSignal;
}

/** Builds the lexical index and the calibration of index data (linear in the corpus, plus one search per held-out sample). */
export async function buildIndexEvidence(
  data: Pick<CorpusIndexData, 'chunks' | 'embeddings' | 'dimension'>,
  searchMany: (queries: readonly Float32Array[], k: number) => SearchHit[][],
  options: BuildIndexEvidenceOptions = {},
): Promise<Pick<CorpusIndexData, 'lexical' | 'calibration'>> {
  options.onProgress?.({ stage: 'calibrate', done: 0, message: 'lexical index' });
  const lexical = buildLexicalIndex(data.chunks, {
    onProgress: (done, total) => options.onProgress?.({ stage: 'calibrate', done, total, message: 'lexical index' }),
  });
  const result = await computeCalibration(
    { ...data, lexical, searchMany },
    {
      embedder: options.embedder,
      seed: options.seed,
      samples: options.samples,
      splitSentences: options.splitSentences,
      abortSignal: options.abortSignal,
      onProgress: (done, total) => options.onProgress?.({ stage: 'calibrate', done, total, message: 'scoring held-out corpus sentences' }),
    },
  );
  if (result.reason !== undefined) {
    options.onWarning?.(`no calibration.json: ${result.reason}`);
    return { lexical };
  }
  return { lexical, calibration: result.calibration };
}
