import { InvalidIndexError } from '../errors.js';
import type { EvidenceFeatures } from './measure-evidence.js';

/** The verdict of a sentence or an output. */
export type ConfidenceLevel = 'HIGH' | 'MEDIUM' | 'LOW' | 'NO_EVIDENCE';

/** How the held-out scores were made: sentences cut from chunks and embedded as queries, or whole chunks with their stored vectors (indexes built from --embeddings without an embedder). */
export type CalibrationMethod = 'held-out-sentences' | 'chunk-to-chunk';

/** calibration.json: the score distribution of the corpus's own held-out text. */
export interface Calibration {
  format: 'corpus-proximity-calibration';
  version: 1;
  method: CalibrationMethod;
  seed: number;
  /** Held-out samples scored (those with no evidence are counted in no_evidence and left out). */
  samples: number;
  no_evidence: number;
  /** Dense candidates compared word by word. */
  lexical_candidates: number;
  /** How held-out sentences were cut: annotate's sentence splitter, a punctuation rule, or whole chunks. */
  sentences?: 'annotate-splitter' | 'punctuation' | 'whole-chunks';
  /** The fusion rule, in words (weights below). */
  rule: string;
  weights: { language_model: number; lexical_score: number; similarity: number };
  /** in_distribution thresholds: HIGH at or above high, MEDIUM at or above medium, else LOW. */
  bands: { high: number; medium: number };
  /** Each feature's held-out values, ascending. */
  features: { language_model: number[]; lexical_score: number[]; similarity: number[] };
  /** Fused scores of the held-out samples, ascending. */
  fused: number[];
}

/** The fusion weights: the character language model counts twice (it separates corpus text from other text best, see docs/annotate.md). */
export const FUSION_WEIGHTS = { language_model: 2, lexical_score: 1, similarity: 1 } as const;

/** Default in_distribution bands: about 5% of the corpus's own held-out text falls under LOW, 20% under MEDIUM. */
export const IN_DISTRIBUTION_BANDS = { high: 0.25, medium: 0.05 } as const;

/** The fused score of a sentence: Σ weight · ln P(feature), P the held-out share at or below its value (floored at 1/(n+1)). Higher = closer. */
export function fusedScore(calibration: Pick<Calibration, 'features' | 'weights'>, features: EvidenceFeatures): number {
  const { weights } = calibration;
  return (
    weights.language_model * Math.log(share(calibration.features.language_model, features.languageModel)) +
    weights.lexical_score * Math.log(share(calibration.features.lexical_score, features.lexicalScore)) +
    weights.similarity * Math.log(share(calibration.features.similarity, features.similarity))
  );
}

/** Share of held-out corpus samples whose fused score is at or below this one (1: as close as the corpus's own text gets; 0: farther than any). */
export function inDistribution(calibration: Calibration, features: EvidenceFeatures): number {
  if (features.noEvidence) return 0;
  const fused = fusedScore(calibration, features);
  return calibration.fused.length === 0 ? 0 : countAtMost(calibration.fused, fused) / calibration.fused.length;
}

/** The verdict for an in_distribution value (null: no evidence). */
export function confidenceFromInDistribution(value: number | null, bands: { high: number; medium: number } = IN_DISTRIBUTION_BANDS): ConfidenceLevel {
  if (value === null) return 'NO_EVIDENCE';
  if (value >= bands.high) return 'HIGH';
  if (value >= bands.medium) return 'MEDIUM';
  return 'LOW';
}

/** Builds the stored calibration from held-out samples' features. */
export function calibrationFromSamples(
  samples: readonly EvidenceFeatures[],
  info: { method: CalibrationMethod; seed: number; lexicalCandidates: number; sentences?: Calibration['sentences'] },
): Calibration {
  const kept = samples.filter((sample) => !sample.noEvidence);
  const ascending = (values: number[]) => values.sort((a, b) => a - b);
  const base = {
    weights: { ...FUSION_WEIGHTS },
    features: {
      language_model: ascending(kept.map((s) => s.languageModel)),
      lexical_score: ascending(kept.map((s) => s.lexicalScore)),
      similarity: ascending(kept.map((s) => s.similarity)),
    },
  };
  return {
    format: 'corpus-proximity-calibration',
    version: 1,
    method: info.method,
    seed: info.seed,
    samples: kept.length,
    no_evidence: samples.length - kept.length,
    lexical_candidates: info.lexicalCandidates,
    ...(info.sentences ? { sentences: info.sentences } : {}),
    rule: 'fused = 2·ln P(language_model) + ln P(lexical_score) + ln P(similarity), P(x) = (held-out values ≤ x + 1) / (samples + 1); in_distribution = share of held-out fused scores ≤ fused',
    weights: base.weights,
    bands: { ...IN_DISTRIBUTION_BANDS },
    features: base.features,
    fused: ascending(kept.map((sample) => fusedScore(base, sample))),
  };
}

/** Checks a parsed calibration.json; a problem names the file. */
export function checkCalibration(value: unknown, where: { directory: string; file: string }): Calibration {
  const fail = (message: string): never => {
    throw new InvalidIndexError(`${where.directory}/${where.file}: ${message}. Run \`corpus-proximity calibrate --index ${where.directory}\` to recompute it.`, where);
  };
  const c = value as Calibration;
  if (c?.format !== 'corpus-proximity-calibration' || c.version !== 1) fail('is not a calibration of format version 1');
  const sortedNumbers = (list: unknown, name: string) => {
    if (!Array.isArray(list) || list.some((v, i) => typeof v !== 'number' || (i > 0 && v < (list[i - 1] as number)))) fail(`${name} must be an ascending list of numbers`);
  };
  sortedNumbers(c.fused, 'fused');
  for (const name of ['language_model', 'lexical_score', 'similarity'] as const) sortedNumbers(c.features?.[name], `features.${name}`);
  if (c.fused.length === 0) fail('holds no samples');
  return c;
}

// (values ≤ x + 1) / (n + 1): never 0, so its log is finite.
function share(sorted: readonly number[], value: number): number {
  return (countAtMost(sorted, value) + 1) / (sorted.length + 1);
}

/** Number of entries of an ascending list that are ≤ value (binary search). */
function countAtMost(sorted: readonly number[], value: number): number {
  let low = 0;
  let high = sorted.length;
  while (low < high) {
    const middle = (low + high) >>> 1;
    if (sorted[middle]! <= value) low = middle + 1;
    else high = middle;
  }
  return low;
}
