// End-to-end eval-set throughput through openIndex: build (once) an LSA index of WordNet glosses with the
// CLI, then annotate an eval set of multi-sentence outputs (held-out glosses) in one call, with progress.
//   pnpm build && node bench/annotate/eval-set.mjs [--chunks 50000] [--outputs 5000] [--fit-sample 5000] [--work DIR]
// Prints progress on stderr and one JSON object on stdout: open time, annotate time, outputs/s, sentences/s, ms per sentence, peak RSS, load average.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { openIndex } from '@corpus-proximity/annotate';
import { readWordNetGlosses, seededShuffle } from '../../examples/wordnet/wordnet-corpus.mjs';

const { values: args } = parseArgs({
  options: {
    chunks: { type: 'string', default: '50000' },
    outputs: { type: 'string', default: '5000' },
    'fit-sample': { type: 'string', default: '5000' },
    work: { type: 'string', default: join(tmpdir(), 'corpus-proximity-eval-bench') },
  },
});
const chunks = Number(args.chunks);
const outputsWanted = Number(args.outputs);
const root = fileURLToPath(new URL('../../', import.meta.url));
const glosses = seededShuffle(readWordNetGlosses(), 13);
if (glosses.length < chunks + 2 * outputsWanted) console.error(`note: WordNet has ${glosses.length} glosses; held-out outputs reuse some`);

const indexDirectory = join(args.work, `index-${chunks}`);
if (!existsSync(join(indexDirectory, 'manifest.json'))) {
  mkdirSync(args.work, { recursive: true });
  const corpus = join(args.work, `corpus-${chunks}.jsonl`);
  writeFileSync(corpus, glosses.slice(0, chunks).map((gloss) => JSON.stringify({ text: gloss.text })).join('\n') + '\n');
  const started = performance.now();
  execFileSync(process.execPath, [join(root, 'packages/cli/dist/bin.js'), 'index', corpus, '--output', indexDirectory, '--fit-sample', args['fit-sample'], '--yes'], { stdio: ['ignore', 'inherit', 'inherit'] });
  console.error(`index built in ${((performance.now() - started) / 1000).toFixed(1)} s`);
}

// Eval-set outputs: two or three held-out glosses each (not in the corpus), so 2–3 sentences or more.
const pool = glosses.slice(chunks);
const outputs = Array.from({ length: outputsWanted }, (_, i) => {
  const parts = 2 + (i % 2);
  return Array.from({ length: parts }, (_, j) => pool[(i * 3 + j) % pool.length].text.replace(/[;:]?\s*$/, '.')).join(' ');
});

const load = loadavg()[0];
let started = performance.now();
const index = await openIndex(indexDirectory);
const openSeconds = (performance.now() - started) / 1000;
started = performance.now();
let lastLine = 0;
const annotated = await index.annotate(outputs, {
  k: 3,
  onProgress: (event) => {
    const now = performance.now();
    if (now - lastLine > 5000 || event.done === event.total) {
      lastLine = now;
      console.error(`[${event.stage}] ${event.done}/${event.total} · ${((now - started) / 1000).toFixed(1)} s`);
    }
  },
});
const annotateSeconds = (performance.now() - started) / 1000;
const sentences = annotated.reduce((sum, output) => sum + new Set(output.annotations.map((a) => a.sentenceIndex)).size, 0);
console.log(
  JSON.stringify({
    chunks: index.index.count,
    dimension: index.index.dimension,
    embedder: index.embedder.modelId,
    outputs: annotated.length,
    sentences,
    open_s: +openSeconds.toFixed(2),
    annotate_s: +annotateSeconds.toFixed(1),
    outputs_per_s: +(annotated.length / annotateSeconds).toFixed(1),
    sentences_per_s: +(sentences / annotateSeconds).toFixed(1),
    ms_per_sentence: +((annotateSeconds * 1000) / sentences).toFixed(2),
    peak_rss_mib: Math.round(process.resourceUsage().maxRSS / 1024),
    load_before: +load.toFixed(2),
    load_after: +loadavg()[0].toFixed(2),
  }),
);
