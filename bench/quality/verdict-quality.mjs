#!/usr/bin/env node
// Does the annotate verdict tell corpus text from other text (issue 10)? One run: index a WordNet slice with the CLI
// of a checkout, annotate held-out glosses (in distribution), node_modules README prose (out of distribution) and
// generated gibberish, and score the verdict beside a sparse TF-IDF nearest-neighbour baseline (scikit-learn).
// usage: node bench/quality/verdict-quality.mjs [--repo PATH] [--n 6000] [--queries 500] [--configs default,quick-test]
//        [--seed 42] [--label NAME] [--no-baseline] [--reuse] [--annotate-runs 1] [--ood node_modules|python-metadata] [--scale 100000]   (see bench/quality/README.md)
import { execFileSync, spawnSync } from 'node:child_process';
import { closeSync, existsSync, mkdirSync, openSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { basename, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { aurocByKind, summarize } from './verdict-metrics.mjs';
import { gibberish, outOfDistribution, wordCount, wordnetSets } from './verdict-queries.mjs';

const root = fileURLToPath(new URL('../../', import.meta.url));
const { values: flags } = parseFlags({
  options: {
    repo: { type: 'string', default: root },
    n: { type: 'string', default: '6000' },
    queries: { type: 'string', default: '500' },
    configs: { type: 'string', default: 'default,quick-test' },
    seed: { type: 'string', default: '42' },
    label: { type: 'string' },
    work: { type: 'string' },
    out: { type: 'string' },
    scale: { type: 'string' },
    'baseline-bands': { type: 'string', default: '0.05,0.25' },
    'no-baseline': { type: 'boolean', default: false },
    reuse: { type: 'boolean', default: false },
    ood: { type: 'string', default: 'node_modules' },
    'annotate-runs': { type: 'string', default: '1' },
  },
});
const repo = resolve(flags.repo);
for (const name of ['n', 'queries', 'seed', 'annotate-runs', ...(flags.scale !== undefined ? ['scale'] : [])]) {
  if (!/^\d+$/.test(flags[name])) fail(`--${name} ${flags[name]}: expected a whole number`);
}
const bin = join(repo, 'packages/cli/dist/bin.js');
if (!existsSync(bin)) fail(`${bin} does not exist: build that checkout first (cd ${repo} && pnpm build)`);
const scale = flags.scale !== undefined ? Number(flags.scale) : undefined;
const n = scale ?? Number(flags.n);
const queriesPerSet = Number(flags.queries);
const seed = Number(flags.seed);
const configs = scale ? ['default'] : flags.configs.split(',').filter(Boolean);
const runBaseline = !flags['no-baseline'] && !scale;
const [bandLow, bandHigh] = flags['baseline-bands'].split(',').map(Number);
if (!['node_modules', 'python-metadata'].includes(flags.ood)) fail(`--ood ${flags.ood}: expected node_modules or python-metadata`);
for (const config of configs) if (config !== 'default' && !existsSync(join(repo, 'configs', `${config}.json`))) fail(`--configs: ${join(repo, 'configs', config + '.json')} does not exist`);
const revision = git(['rev-parse', '--short', 'HEAD']);
const dirty = git(['status', '--porcelain', '--untracked-files=no']) !== '';
const label = flags.label ?? `${basename(repo)}-${revision}${dirty ? '-dirty' : ''}`;
const tag = `${label}-n${n}${scale ? '-scale' : ''}${flags.ood === 'node_modules' ? '' : `-${flags.ood}`}`;
const work = resolve(flags.work ?? join(root, 'out/verdict-quality', tag));
const out = resolve(flags.out ?? join(root, 'bench/quality/results', `verdict-${tag}.json`));
mkdirSync(work, { recursive: true });

// The three query sets, the same for every checkout (seeded; lengths of the others matched to the glosses).
const { corpus, inDistribution } = wordnetSets({ size: n, queries: queriesPerSet, seed });
const lengths = inDistribution.map((q) => wordCount(q.text));
const ood = outOfDistribution({ root, lengths, seed: seed + 1, source: flags.ood });
const queries = [...inDistribution, ...ood.queries, ...gibberish({ lengths, seed: seed + 2 })];
const corpusFile = join(work, 'corpus.jsonl');
const queriesFile = join(work, 'queries.jsonl');
writeFileSync(corpusFile, corpus.map((r) => JSON.stringify({ text: r.text, lexname: r.lexname, pos: r.pos, synset: r.synset })).join('\n') + '\n');
writeFileSync(queriesFile, queries.map((q) => JSON.stringify(q)).join('\n') + '\n');
log(`${label}: ${n} glosses indexed by ${bin}; ${queries.length} queries (${inDistribution.length} held-out glosses, ${ood.queries.length} ${flags.ood} sentences from ${ood.files} files / ${ood.pool} candidates, ${queries.length - inDistribution.length - ood.queries.length} gibberish); work ${work}`);

const results = {
  label, repo, revision, dirty, n, seed, scale: Boolean(scale), queries_per_set: queriesPerSet,
  machine: { cpus: cpus().length, cpu: cpus()[0]?.model, node: process.version },
  ood_source: { source: flags.ood, files: ood.files, candidate_sentences: ood.pool },
  systems: {}, timings: {},
};
const rowsBySystem = {};

for (const config of configs) {
  const index = join(work, `index-${config}`);
  const configArgs = config === 'default' ? [] : ['--config', join(repo, 'configs', `${config}.json`)];
  let indexSeconds = null;
  let indexCpuSeconds = null;
  const loadBeforeIndex = loadavg();
  if (flags.reuse && existsSync(join(index, 'manifest.json'))) log(`[${config}] reusing ${index}`);
  else {
    rmSync(index, { recursive: true, force: true });
    log(`[${config}] indexing (log ${index}.log) …`);
    ({ wall: indexSeconds, cpu: indexCpuSeconds } = timed(['index', corpusFile, '--output', index, '--seed', String(seed), '--yes', ...configArgs], null, `${index}.log`));
  }
  const loadBeforeAnnotate = loadavg();
  log(`[${config}] annotating ${queries.length} outputs …`);
  const annotationsFile = join(work, `annotations-${config}.jsonl`);
  // Wall time of the whole command (start-up and index loading included); the fastest of --annotate-runs.
  const annotateRuns = Array.from({ length: Math.max(1, Number(flags['annotate-runs'])) }, () => timed(['annotate', queriesFile, '--index', index, '--format', 'json', '--yes'], annotationsFile, join(work, `annotate-${config}.log`)));
  const annotateSeconds = Math.min(...annotateRuns.map((r) => r.wall));
  const annotateCpuSeconds = Math.min(...annotateRuns.map((r) => r.cpu));
  const outputs = readJsonl(annotationsFile);
  if (outputs.length !== queries.length) fail(`annotate wrote ${outputs.length} outputs for ${queries.length} queries (${annotationsFile})`);
  const labels = readJsonl(join(index, 'metadata.jsonl')).map((m) => m.lexname);
  const rows = outputs.map((output, i) => ({ ...queries[i], ...readOutput(output, labels) }));
  const sentences = rows.reduce((sum, r) => sum + r.sentences, 0);
  const calibrated = rows.some((r) => r.calibrated);
  const stats = JSON.parse(readFileSync(join(index, 'stats.json'), 'utf8'));
  const timing = {
    index_seconds: indexSeconds && +indexSeconds.toFixed(1), index_cpu_seconds: indexCpuSeconds && +indexCpuSeconds.toFixed(1),
    annotate_seconds: +annotateSeconds.toFixed(2), annotate_cpu_seconds: +annotateCpuSeconds.toFixed(2), annotate_runs: annotateRuns.map((r) => ({ wall: +r.wall.toFixed(2), cpu: +r.cpu.toFixed(2) })), sentences,
    annotate_cpu_ms_per_sentence: +((annotateCpuSeconds * 1000) / sentences).toFixed(3),
    annotate_ms_per_sentence: +((annotateSeconds * 1000) / sentences).toFixed(3), annotate_ms_per_output: +((annotateSeconds * 1000) / outputs.length).toFixed(3),
    load_before_index: loadBeforeIndex.map((x) => +x.toFixed(2)), load_before_annotate: loadBeforeAnnotate.map((x) => +x.toFixed(2)), load_after: loadavg().map((x) => +x.toFixed(2)),
    index_files: Object.fromEntries(['calibration.json', 'embeddings.npy'].filter((f) => existsSync(join(index, f))).map((f) => [f, statSync(join(index, f)).size])),
    chunks: stats.chunks ?? stats.counts?.chunks,
    index_stage_seconds: existsSync(`${index}.log`) ? stageSeconds(readFileSync(`${index}.log`, 'utf8')) : null,
  };
  results.timings[config] = timing;
  // A calibrated index (issue 10) is judged by mean_in_distribution + confidence, today's by distance + bands.
  rowsBySystem[`cp-${config}`] = rows.map((r) => ({ ...r, score: calibrated ? r.inDistributionScore : r.distanceScore, verdict: r.verdict }));
  results.systems[`cp-${config}`] = {
    kind: calibrated ? 'mean_in_distribution + confidence' : rows.some((r) => r.hasVerdictField) ? '−mean rank-1 distance + confidence field (uncalibrated)' : '−mean rank-1 distance, bands 0.15/0.30',
    ...summarize(rowsBySystem[`cp-${config}`]), by_gibberish_kind: aurocByKind(rowsBySystem[`cp-${config}`]),
    ...(rows.some((r) => r.tokenCoverage !== null) ? { evidence: evidenceSummary(rows) } : {}),
  };
  if (calibrated) {
    rowsBySystem[`cp-${config}-distance`] = rows.map((r) => ({ ...r, score: r.distanceScore, verdict: r.bandVerdict }));
    results.systems[`cp-${config}-distance`] = { kind: '−mean rank-1 distance, bands 0.15/0.30 (same annotations, for comparison)', ...summarize(rowsBySystem[`cp-${config}-distance`]) };
  }
  log(`[${config}] index ${indexSeconds?.toFixed(1) ?? 'reused'} s (cpu ${indexCpuSeconds?.toFixed(1) ?? '—'} s), annotate ${annotateSeconds.toFixed(1)} s (${timing.annotate_ms_per_sentence} ms/sentence; cpu ${timing.annotate_cpu_ms_per_sentence} ms/sentence)`);
}

if (runBaseline) {
  log('[tfidf] scikit-learn baseline …');
  const baselineFile = join(work, 'tfidf.json');
  const started = performance.now();
  execFileSync('/usr/bin/python3', [join(root, 'bench/quality/tfidf-baseline.py'), corpusFile, queriesFile, baselineFile, '500', String(seed)], { stdio: 'inherit' });
  results.timings.tfidf_seconds = +((performance.now() - started) / 1000).toFixed(1);
  const baseline = JSON.parse(readFileSync(baselineFile, 'utf8'));
  for (const [name, variant] of Object.entries(baseline.variants)) {
    const calibration = [...variant.calibration_scores].sort((a, b) => a - b);
    const percentile = (score) => calibration.filter((c) => c <= score).length / calibration.length;
    const verdict = (score) => (score <= 0 ? 'NO_EVIDENCE' : percentile(score) >= bandHigh ? 'HIGH' : percentile(score) >= bandLow ? 'MEDIUM' : 'LOW');
    rowsBySystem[name] = queries.map((q, i) => ({ ...q, score: variant.scores[i], verdict: verdict(variant.scores[i]), nearestLabel: variant.nearest[i] >= 0 ? corpus[variant.nearest[i]].lexname : undefined }));
    results.systems[name] = {
      kind: `max cosine, bands: percentile of ${calibration.length} leave-one-out corpus scores, LOW < ${bandLow}, HIGH ≥ ${bandHigh}, cosine 0 = NO_EVIDENCE`,
      settings: variant.settings, fit_seconds: variant.fit_seconds, query_seconds: variant.query_seconds,
      ...summarize(rowsBySystem[name]), by_gibberish_kind: aurocByKind(rowsBySystem[name]),
    };
  }
}

writeFileSync(join(work, 'rows.json'), JSON.stringify(rowsBySystem));
mkdirSync(join(out, '..'), { recursive: true });
writeFileSync(out, JSON.stringify(results, null, 2) + '\n');
console.log(markdown(results));
log(`results: ${out} (per-query rows: ${join(work, 'rows.json')})`);

/** Score, verdict and attribution of one annotate --format json output; works for today's output and issue 10's fields. */
function readOutput(output, labels) {
  const top = output.annotations.filter((a) => a.rank === 1);
  const evidence = top.filter((a) => typeof a.nearest_chunk_idx === 'number' && a.nearest_chunk_idx >= 0 && typeof a.distance === 'number' && a.no_evidence !== true);
  const meanDistance = evidence.length ? evidence.reduce((s, a) => s + a.distance, 0) / evidence.length : null;
  const bandVerdict = meanDistance === null ? 'NO_EVIDENCE' : meanDistance < 0.15 ? 'HIGH' : meanDistance < 0.3 ? 'MEDIUM' : 'LOW';
  const best = evidence.reduce((b, a) => (b === undefined || a.distance < b.distance ? a : b), undefined);
  const mean = output.mean_in_distribution;
  const calibrated = typeof mean === 'number';
  const coverage = top.filter((a) => typeof a.token_coverage === 'number');
  return {
    sentences: new Set(output.annotations.map((a) => a.sentence_index)).size,
    calibrated,
    distanceScore: meanDistance === null ? -Infinity : -meanDistance,
    bandVerdict,
    // issue 10: mean_in_distribution (null = nothing to judge → lowest); today: −mean rank-1 distance.
    inDistributionScore: calibrated ? mean : -Infinity,
    verdict: output.confidence ?? bandVerdict,
    hasVerdictField: output.confidence !== undefined,
    tokenCoverage: coverage.length ? coverage.reduce((s, a) => s + a.token_coverage, 0) / coverage.length : null,
    overlapWords: Math.max(0, ...top.map((a) => a.overlap_span?.words ?? 0)),
    nearestLabel: best ? labels[best.nearest_chunk_idx] : undefined,
  };
}

/** Mean token_coverage and share of outputs sharing ≥ 3 verbatim words with their nearest chunk, per set (issue 10 fields). */
function evidenceSummary(rows) {
  return Object.fromEntries(['in', 'ood', 'gibberish'].map((set) => {
    const of = rows.filter((r) => r.set === set);
    const coverage = of.filter((r) => r.tokenCoverage !== null);
    return [set, {
      mean_token_coverage: coverage.length ? +(coverage.reduce((s, r) => s + r.tokenCoverage, 0) / coverage.length).toFixed(4) : null,
      overlap_3_words_or_more: +(of.filter((r) => r.overlapWords >= 3).length / of.length).toFixed(4),
    }];
  }));
}

/** Seconds per index stage, from the progress log: the largest elapsed time printed on a `[stage] …` line. */
function stageSeconds(logText) {
  const stages = {};
  for (const match of logText.matchAll(/^\[(\w+)\][^\n]*?(?:(\d+)m)?(\d+(?:\.\d+)?)s\b/gm)) {
    const seconds = Number(match[2] ?? 0) * 60 + Number(match[3]);
    stages[match[1]] = Math.max(stages[match[1]] ?? 0, +seconds.toFixed(1));
  }
  return stages;
}

/** The headline table. */
function markdown(r) {
  const head = '| system | AUROC in/ood | AUROC in/gib | in LOW | in LOW+NO_EV | ood HIGH | gib HIGH | attribution | index s (cpu) | annotate ms/sentence (cpu) |';
  const lines = [`### ${r.label} (rev ${r.revision}${r.dirty ? ', dirty' : ''}), ${r.n} glosses, ${r.queries_per_set} queries per set`, '', head, '|' + '---|'.repeat(10)];
  const pct = (x) => `${(100 * x).toFixed(1)}%`;
  for (const [name, s] of Object.entries(r.systems)) {
    const config = name.startsWith('cp-') ? name.slice(3).replace(/-distance$/, '') : null;
    const t = config ? r.timings[config] : null;
    lines.push(`| ${name} | ${s.auroc_in_vs_ood.toFixed(3)} | ${s.auroc_in_vs_gibberish.toFixed(3)} | ${pct(s.in_low)} | ${pct(s.in_low_or_no_evidence)} | ${pct(s.ood_high)} | ${pct(s.gibberish_high)} | ${s.attribution.toFixed(3)} | ${t ? `${t.index_seconds ?? '—'} (${t.index_cpu_seconds ?? '—'})` : '—'} | ${t ? `${t.annotate_ms_per_sentence} (${t.annotate_cpu_ms_per_sentence})` : '—'} |`);
  }
  return lines.join('\n');
}

/** Runs the CLI of the checkout; stdout to `stdoutFile` (or the log), stderr to `logFile`. Wall seconds, and CPU seconds (user + sys, from bash's `times`: steadier than wall time on a busy machine). */
function timed(args, stdoutFile, logFile) {
  const logFd = openSync(logFile, 'w');
  const outFd = stdoutFile ? openSync(stdoutFile, 'w') : logFd;
  const timesFile = `${logFile}.times`;
  const started = performance.now();
  const child = spawnSync('bash', ['-c', '"$@"; status=$?; times > "$CP_TIMES_FILE"; exit $status', 'bash', process.execPath, bin, ...args], { stdio: ['ignore', outFd, logFd], cwd: work, env: { ...process.env, CP_TIMES_FILE: timesFile } });
  const wall = (performance.now() - started) / 1000;
  closeSync(logFd);
  if (stdoutFile) closeSync(outFd);
  if (child.status !== 0) fail(`corpus-proximity ${args[0]} exited ${child.status ?? child.signal}; see ${logFile}:\n${readFileSync(logFile, 'utf8').slice(-2000)}`);
  const children = readFileSync(timesFile, 'utf8').trim().split('\n')[1] ?? '';
  const cpu = [...children.matchAll(/(\d+)m([\d.]+)s/g)].reduce((sum, m) => sum + Number(m[1]) * 60 + Number(m[2]), 0);
  return { wall, cpu };
}

/** node:util parseArgs, with a usage message instead of a stack trace for an unknown or malformed flag. */
function parseFlags(config) {
  try {
    return parseArgs(config);
  } catch (error) {
    console.error(`verdict-quality: ${error.message}\nusage: see the header of bench/quality/verdict-quality.mjs or bench/quality/README.md`);
    process.exit(2);
  }
}

function readJsonl(file) {
  return readFileSync(file, 'utf8').split('\n').filter((line) => line.trim()).map((line) => JSON.parse(line));
}

function git(args) {
  try { return execFileSync('git', ['-C', repo, ...args], { encoding: 'utf8' }).trim(); } catch { return 'unknown'; }
}

function log(message) {
  console.error(`[verdict-quality ${new Date().toISOString().slice(11, 19)}] ${message}`);
}

function fail(message) {
  console.error(`verdict-quality: ${message}`);
  process.exit(1);
}
