import { buildCorpusIndex, type CorpusInput } from '@corpus-proximity/core';
import type { Command } from 'commander';
import { existsSync } from 'node:fs';
import { confirmExactCorpus } from '../confirm-corpus.js';
import { readIndexConfig, type IndexConfig } from '../index-config.js';
import { resolveClusterer, resolveEmbedder, resolveNamer } from '../plugins.js';
import { createProgressReporter } from '../progress.js';
import { parseInteger } from '../parse.js';
import { UsageError } from '../usage-error.js';

/** Flags of `corpus-proximity index`. */
interface IndexFlags {
  output?: string;
  stage?: string;
  textField?: string;
  config?: string;
  seed?: string;
  maxChunks?: string;
  skipInvalid?: boolean;
  embedder?: string;
  namer?: string;
  yes?: boolean;
  quiet?: boolean;
}

/** Registers `index`: corpus files or folders → a CorpusIndex folder. */
export function registerIndexCommand(program: Command): void {
  program
    .command('index')
    .description('Chunk, embed, cluster (recursive UMAP + HDBSCAN) and name a corpus into an index folder.')
    .argument('<inputs...>', 'corpus files (.jsonl/.ndjson, .txt/.md) or folders; prefix STAGE= to tag one input (e.g. sft=data/sft.jsonl)')
    .option('-o, --output <dir>', 'index folder to write')
    .option('--stage <name>', 'corpus stage of inputs without a STAGE= prefix (pretrain, midtrain, sft or any name)', undefined)
    .option('--text-field <field>', 'JSONL field holding the text', undefined)
    .option('--config <file>', 'JSON file with the same settings as the flags (flags win); presets in configs/')
    .option('--seed <n>', 'seed for clustering and sampling (same seed, same tree)')
    .option('--max-chunks <n>', 'keep only the first N chunks')
    .option('--skip-invalid', 'skip malformed JSONL lines (counted) instead of stopping')
    .option('--embedder <name>', 'embedder: lsa (offline TF-IDF + SVD, default)')
    .option('--namer <name>', 'namer: keywords (offline class-based TF-IDF, default)')
    .option('-y, --yes', 'confirm that this is the exact training corpus without asking')
    .option('-q, --quiet', 'no progress lines')
    .addHelpText(
      'after',
      `
Examples:
  $ corpus-proximity index data/pretrain.jsonl --output my-index
  $ corpus-proximity index pretrain=data/web.jsonl sft=data/sft.jsonl --output my-index --text-field content
  $ corpus-proximity index docs/ --output my-index --config configs/quick-test.json --yes`,
    )
    .action(async (inputs: string[], flags: IndexFlags) => {
      await runIndex(inputs, flags);
    });
}

async function runIndex(args: string[], flags: IndexFlags): Promise<void> {
  const config: IndexConfig = flags.config ? await readIndexConfig(flags.config) : {};
  const output = flags.output ?? config.output;
  if (!output) throw new UsageError('index: --output DIR is required (the index folder to write)');
  const stage = flags.stage ?? config.stage ?? 'pretrain';
  const inputs: CorpusInput[] = [...(config.inputs ?? []).map((input) => (typeof input === 'string' ? parseInput(input, stage) : { stage, ...input })), ...args.map((arg) => parseInput(arg, stage))];
  if (inputs.length === 0) throw new UsageError('index: give at least one corpus file or folder');
  await confirmExactCorpus({ yes: flags.yes });

  const embedder = resolveEmbedder(flags.embedder ?? config.embedder ?? 'lsa', config);
  const namer = resolveNamer(flags.namer ?? config.namer ?? 'keywords');
  const clusterer = resolveClusterer(config);
  const progress = createProgressReporter({ quiet: flags.quiet });
  const controller = new AbortController();
  // manifest.json is removed before and written after everything else, so stopping at once is safe.
  const onSignal = (signal: NodeJS.Signals) => {
    controller.abort();
    process.stderr.write(`\ninterrupted (${signal}): ${output} has no manifest.json, so it will not load as complete; run the same command again to rebuild it\n`);
    process.exit(signal === 'SIGINT' ? 130 : 143);
  };
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  const started = Date.now();
  try {
    const { index, stats } = await buildCorpusIndex({
      inputs,
      output,
      embedder,
      clusterer,
      namer,
      textField: flags.textField ?? config.textField,
      skipInvalid: flags.skipInvalid ?? config.skipInvalid,
      seed: flags.seed !== undefined ? parseInteger(flags.seed, '--seed') : config.seed,
      maxChunks: flags.maxChunks !== undefined ? parseInteger(flags.maxChunks, '--max-chunks') : config.maxChunks,
      chunking: config.chunking,
      clustering: config.clustering,
      naming: config.naming,
      dtype: config.dtype,
      config: { umap: config.umap ?? {}, config_file: flags.config ?? null },
      onProgress: progress,
      onWarning: (message) => {
        progress.finish();
        process.stderr.write(`warning: ${message}\n`);
      },
      abortSignal: controller.signal,
    });
    progress.finish();
    const seconds = ((Date.now() - started) / 1000).toFixed(1);
    process.stderr.write(
      `index written to ${output}: ${index.count} chunks, ${stats.clusters} clusters (depth ≤ ${stats.max_depth}), ${stats.noise} noise chunks, ${index.dimension} dims, ${seconds}s\n` +
        `next: corpus-proximity show --index ${output} --tree\n`,
    );
  } finally {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
  }
}

function parseInput(arg: string, stage: string): CorpusInput {
  const match = /^([A-Za-z][\w-]*)=(.+)$/.exec(arg);
  if (match && !existsSync(arg)) return { path: match[2]!, stage: match[1]! };
  return { path: arg, stage };
}
