import { annotateBatch, annotatedOutputToJson, formatAnnotations } from '@corpus-proximity/annotate';
import { InvalidInputError, loadCorpusIndex, MIN_CALIBRATION_CHUNKS, readJsonlRecords } from '@corpus-proximity/core';
import { embedderFromManifest } from '@corpus-proximity/embedders';
import type { Command } from 'commander';
import { confirmExactCorpus } from '../confirm-corpus.js';
import { parseInteger } from '../parse.js';
import { parseDevice } from '../plugins.js';
import { createProgressReporter } from '../progress.js';
import { UsageError } from '../usage-error.js';

/** Fields tried, in order, for the model output's text when --text-field is not given. */
export const DEFAULT_TEXT_FIELDS = ['output', 'text', 'completion', 'response'];

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
  // The confirmation reads the terminal, so it cannot share stdin with piped outputs.
  if (outputs === '-' && !flags.yes) throw new UsageError('reading outputs from stdin: pass --yes (the corpus question needs the terminal)');
  await confirmExactCorpus({ yes: flags.yes });

  const index = await loadCorpusIndex(flags.index);
  if (!index.calibration && !bands) {
    // An index with a lexical index but no calibration was too small to calibrate; an older one just predates it.
    const why = index.lexical
      ? `its corpus is too small to calibrate (${index.count} chunks; calibration needs at least ${MIN_CALIBRATION_CHUNKS})`
      : `add it with: corpus-proximity calibrate --index ${flags.index}`;
    process.stderr.write(`note: ${flags.index} has no calibration.json, so verdicts use raw distance bands (0.15 / 0.30); ${why}\n`);
  }
  const embedder = embedderFromManifest(
    { provider: index.embedder.provider, modelId: index.embedder.modelId, dimensions: index.embedder.dimensions, settings: index.manifest.embedder.settings },
    index.embedder.state?.files ?? {},
    { onnx: flags.device ? { device: parseDevice(flags.device) } : {} },
  );

  const name = outputs === '-' ? '<stdin>' : outputs;
  const items: Array<{ text: string; prompt?: string }> = [];
  let skipped = 0;
  for await (const record of readJsonlRecords(outputs === '-' ? process.stdin : outputs, {
    name,
    skipInvalid: flags.skipInvalid,
    onInvalid: (error) => {
      skipped++;
      process.stderr.write(`warning: skipped ${error.message}\n`);
    },
  })) {
    const field = flags.textField ?? DEFAULT_TEXT_FIELDS.find((candidate) => typeof record.value[candidate] === 'string');
    const text = field === undefined ? undefined : record.value[field];
    if (typeof text !== 'string') {
      const error = new InvalidInputError(
        `${name}:${record.line}: no text field ${flags.textField ? `"${flags.textField}"` : `(tried ${DEFAULT_TEXT_FIELDS.join(', ')})`}; the record has: ${Object.keys(record.value).join(', ') || 'no fields'}. Pass --text-field FIELD.`,
        { file: name, line: record.line },
      );
      if (!flags.skipInvalid) throw error;
      skipped++;
      process.stderr.write(`warning: skipped ${error.message}\n`);
      continue;
    }
    items.push({ text, prompt: typeof record.value.prompt === 'string' ? record.value.prompt : undefined });
  }
  if (items.length === 0) throw new InvalidInputError(`${name}: no model outputs to annotate`, { file: name });

  const progress = createProgressReporter({ quiet: flags.quiet });
  const results = await annotateBatch(index, embedder, items, { k, bands, onProgress: progress });
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
