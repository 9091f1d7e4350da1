import { type CorpusIndex, type SearchHit } from '@corpus-proximity/core';
import { confidenceFromInDistribution, inDistribution, longestOverlapSpan, measureEvidence, type ChunkTermCache, type EvidenceFeatures } from '@corpus-proximity/core/internal';
import type { Confidence, DistanceBands } from './format-chess.js';

/** Raw-distance bands used when the index has no calibration.json (the seed's thresholds). */
export const RAW_DISTANCE_BANDS: DistanceBands = { high: 0.15, medium: 0.3 };

/** The verdict of one sentence, from its evidence. */
export interface SentenceVerdict {
  features: EvidenceFeatures | undefined;
  /** No cluster can be named (no known word, or the embedder knows none of them). */
  noEvidence: boolean;
  inDistribution: number | null;
  confidence: Confidence | 'NO_EVIDENCE';
}

const caches = new WeakMap<CorpusIndex, ChunkTermCache>();

/**
 * Judges one prose sentence. No corpus evidence when none of its words is in the corpus: no cluster,
 * NO_EVIDENCE. When its words are known but the embedder knows none of them (its vector vanished),
 * there is no cluster to name either, but the lexical evidence is still judged, with similarity 0.
 * Otherwise in_distribution comes from calibration.json, and the verdict from it — or from raw
 * distance when `bands` is given or the index is uncalibrated.
 */
export function judgeSentence(index: CorpusIndex, sentence: string, vector: Float32Array, hits: readonly SearchHit[], bands: DistanceBands | undefined): SentenceVerdict {
  let cache = caches.get(index);
  if (!cache) caches.set(index, (cache = new Map()));
  const vanished = !(vectorNorm(vector) > 1e-6);
  const measured = index.lexical ? measureEvidence(index.lexical, index.chunks, sentence, vanished ? [] : hits, cache) : undefined;
  const noWords = !/[\p{L}\p{N}]/u.test(sentence);
  if (measured?.noEvidence || noWords || (vanished && !measured)) {
    return { features: measured, noEvidence: true, inDistribution: index.calibration ? 0 : null, confidence: 'NO_EVIDENCE' };
  }
  const features = measured && vanished ? { ...measured, similarity: 0 } : measured;
  const value = index.calibration && features ? inDistribution(index.calibration, features) : null;
  const distance = vanished ? 1 : (hits[0]?.distance ?? 1);
  const confidence = bands || value === null ? rawConfidence(distance, bands ?? RAW_DISTANCE_BANDS) : (confidenceFromInDistribution(value, index.calibration!.bands) as Confidence);
  return { features, noEvidence: vanished, inDistribution: value, confidence };
}

/** Longest shared word span between the sentence and a chunk, with the sentence's offsets moved into the output text. */
export function overlapWithChunk(index: CorpusIndex, sentence: string, sentenceStart: number, chunkIdx: number) {
  const span = longestOverlapSpan(sentence, index.chunks[chunkIdx] ?? '');
  return span && { chunkIdx, ...span, sentenceStart: span.sentenceStart + sentenceStart, sentenceEnd: span.sentenceEnd + sentenceStart };
}

/** HIGH below bands.high, MEDIUM below bands.medium, else LOW. */
export function rawConfidence(distance: number, bands: DistanceBands): Confidence {
  if (distance < bands.high) return 'HIGH';
  if (distance < bands.medium) return 'MEDIUM';
  return 'LOW';
}

function vectorNorm(vector: Float32Array): number {
  let sum = 0;
  for (let d = 0; d < vector.length; d++) sum += vector[d]! * vector[d]!;
  return Math.sqrt(sum);
}
