import { InvalidInputError, type AnnotatedOutput, type Annotation } from '@corpus-proximity/core';

/** Distance bands of the interpretation: below `high` is HIGH confidence, below `medium` MEDIUM, else LOW. */
export interface DistanceBands {
  high: number;
  medium: number;
}

/** The seed's thresholds (cosine distance). */
export const DEFAULT_DISTANCE_BANDS: DistanceBands = { high: 0.15, medium: 0.3 };

/** Options of formatChess. */
export interface FormatChessOptions {
  /** Show the nearest corpus chunk of each sentence's first cluster. */
  showChunks?: boolean;
  /** Judge by raw distance with these bands (an explicit override); by default the output's calibrated verdict is shown. */
  bands?: Partial<DistanceBands>;
  /** ANSI colors (distances by band, names bold); off by default. */
  color?: boolean;
}

/** How close the output is to the corpus, from the average rank-1 distance. */
export type Confidence = 'HIGH' | 'MEDIUM' | 'LOW';

const INTERPRETATIONS: Record<Confidence, string> = {
  HIGH: 'Model output closely matches training corpus - likely grounded response.',
  MEDIUM: 'Model output moderately close to training corpus - possible extrapolation.',
  LOW: 'Model output far from training corpus - likely hallucination or novel generation.',
};

// Calibrated verdicts: what the in-distribution share means.
const CALIBRATED: Record<Confidence | 'NO_EVIDENCE', string> = {
  HIGH: 'Model output is as close to the corpus as the corpus\'s own held-out text usually is - consistent with text from this corpus.',
  MEDIUM: 'Model output is farther from the corpus than most of its own held-out text - possible extrapolation.',
  LOW: 'Model output is farther from the corpus than 95% of its own held-out text - likely not from this corpus (novel generation or hallucination).',
  NO_EVIDENCE: 'No sentence has a word that occurs in the corpus (or there is only code and math), so nothing was matched.',
};

/** Confidence band of a distance. */
export function confidenceOf(distance: number, bands: DistanceBands = DEFAULT_DISTANCE_BANDS): Confidence {
  if (distance < bands.high) return 'HIGH';
  if (distance < bands.medium) return 'MEDIUM';
  return 'LOW';
}

/** Formats an annotated output chess-engine style: each sentence in text order with its ranked clusters, then an interpretation. */
export function formatChess(output: AnnotatedOutput, options: FormatChessOptions = {}): string {
  const bands = resolveBands(options.bands);
  // The output's own verdict (calibrated, or raw bands chosen when it was annotated), unless bands are given here.
  const verdictOf = (annotation: Annotation): Confidence | 'NO_EVIDENCE' =>
    options.bands === undefined && annotation.confidence !== undefined ? annotation.confidence : annotation.noEvidence ? 'NO_EVIDENCE' : confidenceOf(annotation.distance, bands);
  const paint = painter(options.color ?? false);
  const lines = ['', paint.bold('Model Output:'), `"${output.text}"`, '', '📍 Source Analysis:'];

  const sentences = groupBySentence(output.annotations);
  if (sentences.length === 0) lines.push('  (nothing to annotate)', '');
  for (const group of sentences) {
    const logprob = group[0]!.avgLogprob !== undefined ? paint.dim(` (avg logprob ${group[0]!.avgLogprob.toFixed(2)})`) : '';
    lines.push(`  ├─ "${oneLine(group[0]!.textSpan)}"${logprob}`);
    const first = group[0]!;
    if (first.noEvidence) {
      const known = first.tokenCoverage !== undefined ? `, though ${Math.round(first.tokenCoverage * 100)}% of its words occur in the corpus` : '';
      const why =
        first.spanKind === 'code'
          ? 'code span: not matched'
          : first.spanKind === 'math'
            ? 'math span: not matched'
            : first.confidence !== undefined && first.confidence !== 'NO_EVIDENCE'
              ? `no cluster: the embedder knows none of its words${known} (${first.confidence}${typeof first.inDistribution === 'number' ? `, in-distribution ${Math.round(first.inDistribution * 100)}%` : ''})`
              : 'no corpus evidence (none of its words occurs in the corpus)';
      lines.push(paint.dim(`     ${why}`));
      lines.push('');
      continue;
    }
    for (const annotation of group) {
      const stage = annotation.corpusStage ? `, ${annotation.corpusStage}` : '';
      const distance = paint.band(`d=${annotation.distance.toFixed(3)}`, verdictOf(annotation));
      lines.push(`     [${annotation.rank}] ${paint.bold(annotation.clusterName)} (${distance}${stage})`);
    }
    const evidence = evidenceLine(first, verdictOf(first));
    if (evidence) lines.push(`     ${paint.band(evidence, verdictOf(first))}`);
    if (options.showChunks) {
      const chunk = oneLine(group[0]!.nearestChunkText);
      lines.push(paint.dim(`     Corpus: "${chunk}${group[0]!.nearestChunkText.length >= 200 ? '...' : ''}"`));
    }
    lines.push('');
  }

  lines.push('🎯 Interpretation:');
  const top = output.annotations.filter((annotation) => annotation.rank === 1);
  const matched = top.filter((annotation) => !annotation.noEvidence);
  if (top.length === 0) {
    lines.push('  No annotations: the output has no text to compare with the corpus.');
  } else if (options.bands === undefined && output.confidence !== undefined && (output.metadata.calibration !== 'raw-distance-bands' || output.confidence === 'NO_EVIDENCE')) {
    const confidence = output.confidence;
    const mean = output.meanInDistribution;
    const share = confidence === 'NO_EVIDENCE' ? 'No corpus evidence' : typeof mean === 'number' ? `Mean in-distribution: ${paint.band(`${Math.round(mean * 100)}%`, confidence)} of held-out corpus text scored as far or farther (${confidence} confidence)` : `${confidence} confidence`;
    lines.push(`  ${share}`);
    lines.push(`  ${CALIBRATED[confidence]}`);
  } else if (matched.length === 0) {
    lines.push(`  No corpus evidence: ${CALIBRATED.NO_EVIDENCE}`);
  } else {
    if (output.metadata.calibration === 'raw-distance-bands' && options.bands === undefined) {
      lines.push(paint.dim('  (uncalibrated: raw distance bands; run `corpus-proximity calibrate --index DIR` for a calibrated verdict)'));
    }
    const average = matched.reduce((sum, annotation) => sum + annotation.distance, 0) / matched.length;
    const confidence = confidenceOf(average, bands);
    lines.push(`  Average distance: ${paint.band(average.toFixed(3), confidence)} (${confidence} confidence)`);
    lines.push(`  ${INTERPRETATIONS[confidence]}`);
  }
  lines.push('');
  return lines.join('\n');
}

/** One line of a sentence's evidence: verdict, in-distribution percentile, lexical score, word coverage, verbatim overlap. */
function evidenceLine(annotation: Annotation, verdict: Confidence | 'NO_EVIDENCE'): string | undefined {
  const parts: string[] = [verdict];
  if (typeof annotation.inDistribution === 'number') parts.push(`in-distribution ${Math.round(annotation.inDistribution * 100)}%`);
  if (annotation.lexicalScore !== undefined) parts.push(`lexical ${annotation.lexicalScore.toFixed(2)}`);
  if (annotation.tokenCoverage !== undefined) parts.push(`words known ${Math.round(annotation.tokenCoverage * 100)}%`);
  if (annotation.overlapSpan && annotation.overlapSpan.words >= 3) parts.push(`${annotation.overlapSpan.words} words verbatim from chunk ${annotation.overlapSpan.chunkIdx}`);
  return parts.length > 1 || annotation.confidence !== undefined ? `▸ ${parts.join(' · ')}` : undefined;
}

/** Annotations grouped by sentence, sentences in text order, each group by rank. */
export function groupBySentence(annotations: Annotation[]): Annotation[][] {
  const groups = new Map<number, Annotation[]>();
  for (const annotation of annotations) {
    const group = groups.get(annotation.sentenceIndex);
    if (group) group.push(annotation);
    else groups.set(annotation.sentenceIndex, [annotation]);
  }
  return [...groups.entries()]
    .sort(([a], [b]) => a - b)
    .map(([, group]) => group.sort((a, b) => a.rank - b.rank));
}

/** Bands with defaults filled in, after checking they are ordered. */
function resolveBands(bands: Partial<DistanceBands> | undefined): DistanceBands {
  const resolved = { ...DEFAULT_DISTANCE_BANDS, ...bands };
  if (!Number.isFinite(resolved.high) || !Number.isFinite(resolved.medium) || resolved.high > resolved.medium) {
    throw new InvalidInputError(
      `distance bands must be finite numbers with high ≤ medium; got high=${resolved.high}, medium=${resolved.medium}`,
    );
  }
  return resolved;
}

/** Text on one line: runs of whitespace become one space. */
function oneLine(text: string): string {
  return text.replace(/\s+/g, ' ').trim();
}

/** ANSI styling, or none. */
function painter(color: boolean) {
  const wrap = (code: string, text: string) => (color ? `\u001b[${code}m${text}\u001b[0m` : text);
  const bandCodes: Record<Confidence | 'NO_EVIDENCE', string> = { HIGH: '32', MEDIUM: '33', LOW: '31', NO_EVIDENCE: '2' };
  return {
    bold: (text: string) => wrap('1', text),
    dim: (text: string) => wrap('2', text),
    band: (text: string, confidence: Confidence | 'NO_EVIDENCE') => wrap(bandCodes[confidence], text),
  };
}
