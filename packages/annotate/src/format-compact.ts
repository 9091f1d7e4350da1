import type { AnnotatedOutput } from '@corpus-proximity/core';
import { groupBySentence } from './format-chess.js';

/** Characters of the text shown before "…". */
const PREVIEW = 60;

/** One line per output: `"text preview…" → Name (0.08), Name (0.12) · HIGH 62%`: the nearest cluster of the first three sentences ("—" for one with no evidence), then the output's verdict and mean in-distribution. */
export function formatCompact(output: AnnotatedOutput): string {
  const text = output.text.replace(/\s+/g, ' ').trim();
  const preview = text.length > PREVIEW ? `${text.slice(0, PREVIEW)}…` : text;
  const clusters = groupBySentence(output.annotations)
    .slice(0, 3)
    .map((group) => {
      const first = group[0]!;
      if (!first.noEvidence) return `${first.clusterName} (${first.distance.toFixed(2)})`;
      // No cluster: code, math, no known word, or known words the embedder cannot see.
      const why = first.spanKind === 'code' || first.spanKind === 'math' ? first.spanKind : first.confidence === 'NO_EVIDENCE' || first.confidence === undefined ? 'no evidence' : 'no cluster';
      return `— (${why})`;
    });
  const mean = output.meanInDistribution;
  const verdict = output.confidence === undefined ? '' : ` · ${output.confidence}${typeof mean === 'number' ? ` ${Math.round(mean * 100)}%` : ''}`;
  return `"${preview}" → ${clusters.length > 0 ? clusters.join(', ') : '(no annotations)'}${verdict}`;
}
