import { annotateBatch, annotatedOutputToJson, attachAvgLogprobs, formatAnnotations, resolveQueryEmbedder, type TokenLogprob } from '@corpus-proximity/annotate';
import { InvalidInputError, loadCorpusIndex } from '@corpus-proximity/core';
import { MIN_CALIBRATION_CHUNKS, readJsonlRecords } from '@corpus-proximity/core/internal';
import type { Command } from 'commander';
import { checkInputFile } from '../check-input-file.js';
import { confirmExactCorpus } from '../confirm-corpus.js';
import { parseInteger } from '../parse.js';
import { parseDevice } from '../plugins.js';
import { DEFAULT_TEXT_FIELDS, noTextError, outputText, recordLogprobs } from '../read-model-outputs.js';
import { createProgressReporter } from '../progress.js';
import { UsageError } from '../usage-error.js';

export { DEFAULT_TEXT_FIELDS };

interface AnnotateFlags {
  index: string;
  format: string;
  k: string;
  textField?: string;
  yes?: boolean;
  showChunks?: boolean;
  skipInvalid?: boolean;
  bands?: string;
  device?: string;
  quiet?: boolean;
  queryEmbedder?: string;
  search?: string;
}

/** Registers `annotate`: model outputs (JSONL) → per-sentence nearest corpus clusters. */
export function registerAnnotateCommand(program: Command): void {
  program
    .command('annotate')
    .description('Annotate model outputs sentence by sentence with their nearest corpus clusters.')
    .argument('<outputs>', 'JSONL file of model outputs, or - for stdin')
    .requiredOption('--index <dir>', 'index folder built by `corpus-proximity index`')
    .option('--format <format>', 'chess | compact | json (JSONL: one object per output)', 'chess')
    .option('--k <n>', 'nearest clusters per sentence', '3')
    .option('--text-field <field>', `JSONL field holding the output text (default: first of ${DEFAULT_TEXT_FIELDS.join(', ')})`)
    .option('--show-chunks', 'chess format: show the nearest corpus chunk under each sentence')
    .option('--bands <high,medium>', 'judge by raw cosine distance with these HIGH / MEDIUM bands (e.g. 0.15,0.30) instead of the index\'s calibration')
    .option('--skip-invalid', 'skip malformed lines instead of stopping')
    .option('--device <device>', 'ONNX indexes: embed the sentences on cpu (default), cuda or auto')
    .option('--query-embedder <spec>', 'embed sentences with this embedder (arctic, onnx:<folder-or-id>, openai:<model>, or a registered one); needed for indexes built from --embeddings')
    .option('--search <mode>', 'exact (scan every chunk) | ann (HNSW, then exact re-ranking; needs `build-search`) | auto: ann above 100K chunks when the index has a search index', 'auto')
    .option('-y, --yes', 'confirm that the index holds the exact training corpus without asking')
    .option('-q, --quiet', 'no progress lines')
    .addHelpText(
      'after',
      `
Examples:
  $ corpus-proximity annotate outputs.jsonl --index my-index --yes
  $ corpus-proximity annotate outputs.jsonl --index my-index --format json --k 5 --yes > annotations.jsonl
  $ echo '{"output": "Photosynthesis turns light into sugar."}' | corpus-proximity annotate - --index my-index --format compact --yes`,
    )
    .action(async (outputs: string, flags: AnnotateFlags) => {
      await runAnnotate(outputs, flags);
    });
}

async function runAnnotate(outputs: string, flags: AnnotateFlags): Promise<void> {
  const format = flags.format;
  if (format !== 'chess' && format !== 'compact' && format !== 'json') throw new UsageError(`--format ${format}: expected chess, compact or json`);
  const k = parseInteger(flags.k, '--k', { min: 1 });
  const bands = flags.bands === undefined ? undefined : parseBands(flags.bands);
  if (outputs !== '-') await checkInputFile(outputs, 'outputs file');
  // The confirmation reads the terminal, so it cannot share stdin with piped outputs.
  if (outputs === '-' && !flags.yes) throw new UsageError('reading outputs from stdin: pass --yes (the corpus question needs the terminal)');
  await confirmExactCorpus({ yes: flags.yes });

  const search = flags.search ?? 'auto';
  if (search !== 'exact' && search !== 'ann' && search !== 'auto') throw new UsageError(`--search ${search}: expected exact, ann or auto`);
  const index = await loadCorpusIndex(flags.index, { search });
  if (!index.calibration && !bands) {
    // An index with a lexical index but no calibration was too small to calibrate; an older one just predates it.
    const why = index.lexical
      ? `its corpus is too small to calibrate (${index.count} chunks; calibration needs at least ${MIN_CALIBRATION_CHUNKS})`
      : `add it with: corpus-proximity calibrate --index ${flags.index}`;
    process.stderr.write(`note: ${flags.index} has no calibration.json, so verdicts use raw distance bands (0.15 / 0.30); ${why}\n`);
  }
  const device = parseDevice(flags.device);
  const embedder = resolveQueryEmbedder(index, { queryEmbedder: flags.queryEmbedder, spec: { device }, overrides: { onnx: device ? { device } : {} } });

  const name = outputs === '-' ? '<stdin>' : outputs;
  const items: Array<{ text: string; prompt?: string }> = [];
  const logprobs: Array<TokenLogprob[] | undefined> = [];
  let skipped = 0;
  for await (const record of readJsonlRecords(outputs === '-' ? process.stdin : outputs, {
    name,
    skipInvalid: flags.skipInvalid,
    onInvalid: (error) => {
      skipped++;
      process.stderr.write(`warning: skipped ${error.message}\n`);
    },
  })) {
    const text = outputText(record.value, flags.textField);
    if (typeof text !== 'string') {
      const error = noTextError(name, record.line, record.value, flags.textField);
      if (!flags.skipInvalid) throw error;
      skipped++;
      process.stderr.write(`warning: skipped ${error.message}\n`);
      continue;
    }
    items.push({ text, prompt: typeof record.value.prompt === 'string' ? record.value.prompt : undefined });
    logprobs.push(recordLogprobs(record.value, text, `${name}:${record.line}`, (message) => process.stderr.write(`warning: ${message}\n`)));
  }
  if (items.length === 0) throw new InvalidInputError(`${name}: no model outputs to annotate`, { file: name });

  const progress = createProgressReporter({ quiet: flags.quiet });
  const results = (await annotateBatch(index, embedder, items, { k, bands, onProgress: progress })).map((result, position) => {
    const tokens = logprobs[position];
    return tokens ? attachAvgLogprobs(result, tokens) : result;
  });
  progress.finish();
  for (const result of results) {
    // JSON is written as JSONL: one annotated output per line, ready for jq or pandas.read_json(lines=True).
    const text = format === 'json' ? JSON.stringify(annotatedOutputToJson(result)) : formatAnnotations(result, format, { showChunks: flags.showChunks, bands });
    process.stdout.write(`${text}\n`);
  }
  if (skipped > 0) process.stderr.write(`skipped ${skipped} invalid line(s)\n`);
}

function parseBands(value: string): { high: number; medium: number } {
  const [high, medium] = value.split(',').map(Number);
  if (high === undefined || medium === undefined || !(high > 0) || !(medium > high)) {
    throw new UsageError(`--bands ${value}: expected two increasing distances, e.g. 0.15,0.30`);
  }
  return { high, medium };
}
