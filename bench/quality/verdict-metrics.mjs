// Metrics of the verdict-quality benchmark: rank-based AUROC with ties, verdict shares, attribution.

/** P(score of a positive > score of a negative) + ½ P(tie): Mann–Whitney U over average ranks. −Infinity/null sort lowest. */
export function auroc(positives, negatives) {
  const value = (x) => (x === null || x === undefined || Number.isNaN(x) ? -Infinity : x);
  const all = [...positives.map((x) => [value(x), 1]), ...negatives.map((x) => [value(x), 0])].sort((a, b) => a[0] - b[0] || 0);
  let rankSum = 0;
  for (let i = 0; i < all.length; ) {
    let j = i;
    while (j + 1 < all.length && all[j + 1][0] === all[i][0]) j++;
    const averageRank = (i + j) / 2 + 1;
    for (let k = i; k <= j; k++) if (all[k][1] === 1) rankSum += averageRank;
    i = j + 1;
  }
  const p = positives.length;
  const n = negatives.length;
  return (rankSum - (p * (p + 1)) / 2) / (p * n);
}

/** The q-quantile (0..1) of numbers, linear interpolation between order statistics. */
export function quantile(values, q) {
  const sorted = [...values].sort((a, b) => a - b);
  const position = (sorted.length - 1) * q;
  const low = Math.floor(position);
  return sorted[low] + (sorted[Math.min(low + 1, sorted.length - 1)] - sorted[low]) * (position - low);
}

/** Share of `items` whose verdict is in `levels`. */
export const share = (verdicts, levels) => verdicts.filter((v) => levels.includes(v)).length / verdicts.length;

/** Counts of each verdict. */
export const verdictCounts = (verdicts) => Object.fromEntries(['HIGH', 'MEDIUM', 'LOW', 'NO_EVIDENCE'].map((v) => [v, verdicts.filter((x) => x === v).length]));

/** The headline figures of one system: `rows` = [{ set, kind, score, verdict, nearestLabel, lexname }]. */
export function summarize(rows) {
  const of = (set) => rows.filter((r) => r.set === set);
  const scores = (set) => of(set).map((r) => r.score);
  const verdicts = (set) => of(set).map((r) => r.verdict);
  const inRows = of('in');
  const round = (x) => +x.toFixed(4);
  return {
    auroc_in_vs_ood: round(auroc(scores('in'), scores('ood'))),
    auroc_in_vs_gibberish: round(auroc(scores('in'), scores('gibberish'))),
    in_low: round(share(verdicts('in'), ['LOW'])),
    in_low_or_no_evidence: round(share(verdicts('in'), ['LOW', 'NO_EVIDENCE'])),
    ood_high: round(share(verdicts('ood'), ['HIGH'])),
    gibberish_high: round(share(verdicts('gibberish'), ['HIGH'])),
    gibberish_no_evidence: round(share(verdicts('gibberish'), ['NO_EVIDENCE'])),
    attribution: round(inRows.filter((r) => r.nearestLabel !== undefined && r.nearestLabel === r.lexname).length / inRows.length),
    verdicts: { in: verdictCounts(verdicts('in')), ood: verdictCounts(verdicts('ood')), gibberish: verdictCounts(verdicts('gibberish')) },
  };
}

/** AUROC of in vs each gibberish kind, to show where a system loses. */
export function aurocByKind(rows) {
  const inScores = rows.filter((r) => r.set === 'in').map((r) => r.score);
  const kinds = [...new Set(rows.filter((r) => r.set === 'gibberish').map((r) => r.kind))];
  return Object.fromEntries(kinds.map((kind) => {
    const of = rows.filter((r) => r.kind === kind);
    return [kind, { auroc: +auroc(inScores, of.map((r) => r.score)).toFixed(4), high: of.filter((r) => r.verdict === 'HIGH').length, n: of.length }];
  }));
}
