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

/** Confidence band of a distance. */
export function confidenceOf(distance: number, bands: DistanceBands = DEFAULT_DISTANCE_BANDS): Confidence {
  if (distance < bands.high) return 'HIGH';
  if (distance < bands.medium) return 'MEDIUM';
  return 'LOW';
}

/** Formats an annotated output chess-engine style: each sentence in text order with its ranked clusters, then an interpretation. */
export function formatChess(output: AnnotatedOutput, options: FormatChessOptions = {}): string {
  const bands = resolveBands(options.bands);
  const paint = painter(options.color ?? false);
  const lines = ['', paint.bold('Model Output:'), `"${output.text}"`, '', '📍 Source Analysis:'];

  const sentences = groupBySentence(output.annotations);
  if (sentences.length === 0) lines.push('  (nothing to annotate)', '');
  for (const group of sentences) {
    const logprob = group[0]!.avgLogprob !== undefined ? paint.dim(` (avg logprob ${group[0]!.avgLogprob.toFixed(2)})`) : '';
    lines.push(`  ├─ "${oneLine(group[0]!.textSpan)}"${logprob}`);
    for (const annotation of group) {
      const stage = annotation.corpusStage ? `, ${annotation.corpusStage}` : '';
      const distance = paint.band(`d=${annotation.distance.toFixed(3)}`, confidenceOf(annotation.distance, bands));
      lines.push(`     [${annotation.rank}] ${paint.bold(annotation.clusterName)} (${distance}${stage})`);
    }
    if (options.showChunks) {
      const chunk = oneLine(group[0]!.nearestChunkText);
      lines.push(paint.dim(`     Corpus: "${chunk}${group[0]!.nearestChunkText.length >= 200 ? '...' : ''}"`));
    }
    lines.push('');
  }

  lines.push('🎯 Interpretation:');
  const top = output.annotations.filter((annotation) => annotation.rank === 1);
  if (top.length === 0) {
    lines.push('  No annotations: the output has no text to compare with the corpus.');
  } else {
    const average = top.reduce((sum, annotation) => sum + annotation.distance, 0) / top.length;
    const confidence = confidenceOf(average, bands);
    lines.push(`  Average distance: ${paint.band(average.toFixed(3), confidence)} (${confidence} confidence)`);
    lines.push(`  ${INTERPRETATIONS[confidence]}`);
  }
  lines.push('');
  return lines.join('\n');
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
  const bandCodes: Record<Confidence, string> = { HIGH: '32', MEDIUM: '33', LOW: '31' };
  return {
    bold: (text: string) => wrap('1', text),
    dim: (text: string) => wrap('2', text),
    band: (text: string, confidence: Confidence) => wrap(bandCodes[confidence], text),
  };
}
