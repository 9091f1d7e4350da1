import {
  analysisToJson,
  analyzeAnnotations,
  annotatedOutputFromJson,
  attachAvgLogprobs,
  formatAnalysis,
  openIndex,
  type AnalyzeItem,
} from '@corpus-proximity/annotate';
import { InvalidInputError, type AnnotatedOutput } from '@corpus-proximity/core';
import type { Command } from 'commander';
import { confirmExactCorpus } from '../confirm-corpus.js';
import { parseInteger } from '../parse.js';
import { parseDevice } from '../plugins.js';
import { createProgressReporter } from '../progress.js';
import { noTextError, outputText, readOutputRecords, recordLogprobs } from '../read-model-outputs.js';
import { UsageError } from '../usage-error.js';

interface AnalyzeFlags {
  index?: string;
  labelField: string;
  json?: boolean;
  yes?: boolean;
  textField?: string;
  maxDepth?: string;
  queryEmbedder?: string;
  device?: string;
  skipInvalid?: boolean;
  quiet?: boolean;
}

/** Registers `analyze`: labelled model outputs → which corpus clusters the incorrect ones concentrate in. */
export function registerAnalyzeCommand(program: Command): void {
  program
    .command('analyze')
    .description('Ask whether the incorrect outputs of an eval set concentrate in particular corpus clusters (χ² / Fisher per cluster, Benjamini–Hochberg, Cramér\'s V).')
    .argument('<outputs>', 'JSONL of model outputs (or of annotated outputs from `annotate --format json`) with a label field; - for stdin')
    .requiredOption('--label-field <field>', 'field holding the label: true/false, 1/0 or "correct"/"incorrect"')
    .option('--index <dir>', 'index folder, to annotate outputs that are not annotated yet')
    .option('--json', 'print the analysis as JSON: {"clusters": [...], "overall": {...}}')
    .option('--text-field <field>', 'JSONL field holding the output text (default as in annotate)')
    .option('--max-depth <n>', 'deepest tree level to analyze (default: all)')
    .option('--query-embedder <spec>', 'embed sentences with this embedder; needed for indexes built from --embeddings')
    .option('--device <device>', 'ONNX indexes: embed the sentences on cpu (default), cuda or auto')
    .option('--skip-invalid', 'skip malformed lines instead of stopping')
    .option('-y, --yes', 'confirm that the index holds the exact training corpus without asking')
    .option('-q, --quiet', 'no progress lines')
    .addHelpText(
      'after',
      `
Examples:
  $ corpus-proximity analyze eval.jsonl --index my-index --label-field correct --yes
  $ corpus-proximity analyze eval.jsonl --index my-index --label-field is_correct --json --yes > analysis.json
  $ corpus-proximity annotate eval.jsonl --index my-index --format json --yes > annotated.jsonl   # then add the label field
  $ corpus-proximity analyze annotated.jsonl --label-field correct`,
    )
    .action(async (outputs: string, flags: AnalyzeFlags) => {
      await runAnalyze(outputs, flags);
    });
}

async function runAnalyze(source: string, flags: AnalyzeFlags): Promise<void> {
  const maxDepth = flags.maxDepth !== undefined ? parseInteger(flags.maxDepth, '--max-depth', { min: 1 }) : undefined;
  const name = source === '-' ? '<stdin>' : source;
  const warn = (message: string) => process.stderr.write(`warning: ${message}\n`);
  let skipped = 0;
  const labelled: Array<{ line: number; correct: boolean; output?: AnnotatedOutput; text?: string; prompt?: string; record: Record<string, unknown> }> = [];
  for await (const { line, value } of readOutputRecords(source, { skipInvalid: flags.skipInvalid, onSkipped: (message) => (skipped++, warn(`skipped ${message}`)) })) {
    try {
      const correct = parseLabel(value, flags.labelField, name, line);
      if (Array.isArray(value.annotations) && value.annotation_metadata !== undefined) {
        labelled.push({ line, correct, output: readAnnotated(value, name, line), record: value });
        continue;
      }
      const text = outputText(value, flags.textField);
      if (text === undefined) throw noTextError(name, line, value, flags.textField);
      labelled.push({ line, correct, text, prompt: typeof value.prompt === 'string' ? value.prompt : undefined, record: value });
    } catch (error) {
      if (!flags.skipInvalid || !InvalidInputError.isInstance(error)) throw error;
      skipped++;
      warn(`skipped ${(error as Error).message}`);
    }
  }
  if (labelled.length === 0) throw new InvalidInputError(`${name}: no model outputs to analyze (the file is empty${skipped ? ` or all ${skipped} lines were skipped` : ''})`, { file: name });

  const toAnnotate = labelled.filter((entry) => entry.output === undefined);
  if (toAnnotate.length > 0) {
    if (!flags.index) throw new UsageError(`${name}:${toAnnotate[0]!.line} is not annotated yet: pass --index DIR to annotate the ${toAnnotate.length} plain output(s) on the way`);
    if (source === '-' && !flags.yes) throw new UsageError('reading outputs from stdin: pass --yes (the corpus question needs the terminal)');
    await confirmExactCorpus({ yes: flags.yes });
    const device = parseDevice(flags.device);
    const opened = await openIndex(flags.index, { queryEmbedder: flags.queryEmbedder, spec: { device }, overrides: { onnx: device ? { device } : {} } });
    const progress = createProgressReporter({ quiet: flags.quiet });
    // Logprobs are read here rather than by openIndex, so their warnings name the file and line.
    const annotated = await opened.annotate(toAnnotate.map((entry) => ({ text: entry.text!, prompt: entry.prompt })), { k: 1, onProgress: progress });
    progress.finish();
    toAnnotate.forEach((entry, position) => {
      const tokens = recordLogprobs(entry.record, entry.text!, `${name}:${entry.line}`, warn);
      entry.output = tokens ? attachAvgLogprobs(annotated[position]!, tokens) : annotated[position]!;
    });
  }

  const items: AnalyzeItem[] = labelled.map((entry) => ({ output: entry.output!, correct: entry.correct }));
  let result;
  try {
    result = analyzeAnnotations(items, { maxDepth });
  } catch (error) {
    if (InvalidInputError.isInstance(error)) throw new InvalidInputError(`${name} (label field "${flags.labelField}"): ${error.message.replace(/^analyze: /, '')}`, { file: name });
    throw error;
  }
  process.stdout.write(flags.json ? `${JSON.stringify(analysisToJson(result), null, 2)}\n` : `label field "${flags.labelField}": ${formatAnalysis(result)}`);
  if (skipped > 0) process.stderr.write(`skipped ${skipped} invalid line(s)\n`);
}

/** true for a correct output: true/false, 1/0, "correct"/"incorrect" (and "true"/"false", "1"/"0"); anything else names the line and value. */
export function parseLabel(record: Record<string, unknown>, field: string, name: string, line: number): boolean {
  if (!(field in record)) {
    throw new InvalidInputError(`${name}:${line}: no label field "${field}"; the record has: ${Object.keys(record).join(', ') || 'no fields'}. Pass --label-field FIELD.`, { file: name, line });
  }
  const value = record[field];
  if (value === true || value === 1) return true;
  if (value === false || value === 0) return false;
  if (typeof value === 'string') {
    const word = value.trim().toLowerCase();
    if (word === 'correct' || word === 'true' || word === '1') return true;
    if (word === 'incorrect' || word === 'false' || word === '0') return false;
  }
  throw new InvalidInputError(`${name}:${line}: label field "${field}" is ${JSON.stringify(value)}; expected true/false, 1/0 or "correct"/"incorrect"`, { file: name, line });
}

/** An annotated output from `annotate --format json`, keeping in_distribution when the annotations carry it. */
function readAnnotated(value: Record<string, unknown>, name: string, line: number): AnnotatedOutput {
  const output = annotatedOutputFromJson(value, { file: name, line });
  const raw = value.annotations as Array<Record<string, unknown>>;
  output.annotations.forEach((annotation, position) => {
    const score = raw[position]?.in_distribution;
    if (typeof score === 'number' && (annotation as { inDistribution?: number }).inDistribution === undefined) Object.assign(annotation, { inDistribution: score });
  });
  return output;
}
