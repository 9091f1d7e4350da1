import { spanKind, splitSentences } from '@corpus-proximity/annotate';
import { buildCorpusIndex, type CorpusInput } from '@corpus-proximity/core';
import type { Command } from 'commander';
import { existsSync } from 'node:fs';
import { rm, rmdir } from 'node:fs/promises';
import { join } from 'node:path';
import { createKeywordNamer } from '@corpus-proximity/namers';
import { checkIndexFlags } from '../check-index-flags.js';
import { checkOutputFolder, explainOutputWriteError } from '../check-output-folder.js';
import { confirmExactCorpus } from '../confirm-corpus.js';
import { reportNamingFailures, type NamingOutcome } from '../report-naming-failures.js';
import { pickEmbedderName, prepareEmbedder } from '../prepare-embedder.js';
import { copyNamedPipes } from '../read-named-pipes.js';
import { acquireOutputLock } from '../output-lock.js';
import { readIndexConfig, type IndexConfig } from '../index-config.js';
import { parseDevice, parseModelDtype, resolveClusterer, resolveEmbedder, resolveNamer } from '../plugins.js';
import { createProgressReporter } from '../progress.js';
import { applyTreePreset } from '../tree-preset.js';
import { parseFitSample, parseInteger } from '../parse.js';
import { UsageError } from '../usage-error.js';

/** Flags of `corpus-proximity index`. */
interface IndexFlags {
  output?: string;
  searchIndex?: string;
  stage?: string;
  textField?: string;
  config?: string;
  seed?: string;
  maxChunks?: string;
  skipInvalid?: boolean;
  embedder?: string;
  namer?: string;
  namingBaseUrl?: string;
  namingConcurrency?: string;
  device?: string;
  dtype?: string;
  batchSize?: string;
  checkpointEvery?: string;
  embeddingBaseUrl?: string;
  fitSample?: string;
  tree?: string;
  chunking?: string;
  embeddings?: string;
  chunks?: string;
  yes?: boolean;
  quiet?: boolean;
  force?: boolean;
  keepCache?: boolean;
  strictNaming?: boolean;
  keepDuplicates?: boolean;
  dimensions?: string;
  requestTimeout?: string;
  deployGpu?: boolean;
}

/** Registers `index`: corpus files or folders → a CorpusIndex folder. */
export function registerIndexCommand(program: Command): void {
  program
    .command('index')
    .description('Chunk, embed, cluster (UMAP + HDBSCAN, layered tree) and name a corpus into an index folder.')
    .argument('[inputs...]', 'corpus files (.jsonl/.ndjson, .txt/.md) or folders; prefix STAGE= to tag one input (e.g. sft=data/sft.jsonl)')
    .option('-o, --output <dir>', 'index folder to write')
    .option('--stage <name>', 'corpus stage of inputs without a STAGE= prefix (pretrain, midtrain, sft or any name)', undefined)
    .option('--text-field <field>', 'JSONL field holding the text', undefined)
    .option('--config <file>', 'JSON file with the same settings as the flags (flags win); presets in configs/')
    .option('--seed <n>', 'seed for clustering and sampling (same seed, same tree)')
    .option('--max-chunks <n>', 'keep only the first N chunks')
    .option('--skip-invalid', 'skip malformed JSONL lines (counted) instead of stopping')
    .option('--chunking <strategy>', 'paragraph (default) | words (200-word windows) | tokens (≤ 510 tokens of the embedder\'s tokenizer, 15% overlap)')
    .option('--embedder <name>', 'lsa (offline TF-IDF + SVD, default) | arctic | onnx:<folder-or-model-id> | openai:<model> | none (with --embeddings)')
    .option('--dimensions <n>', 'vector size: of the LSA embedder (default 256), or of an onnx:/openai: model whose size is not known in advance')
    .option('--device <device>', 'ONNX embedders: cpu | cuda | auto (cuda, falling back to cpu with a warning)')
    .option('--dtype <dtype>', 'ONNX embedders: model weights fp32 | fp16 | q8')
    .option('--batch-size <n>', 'texts per embedding call')
    .option('--checkpoint-every <n>', 'write an embedding checkpoint every N chunks (default 50000); rerun the same command to resume')
    .option('--embedding-base-url <url>', 'OpenAI-compatible embeddings API for --embedder openai:… (default OPENAI_BASE_URL)')
    .option('--embeddings <file.npy>', 'use embeddings you already have (N × D .npy) instead of embedding; needs --chunks')
    .option('--chunks <file.jsonl>', 'the chunks of --embeddings, one {"text": …} per row, in row order')
    .option('--tree <layers|recursive>', 'layers (default): nested levels of one base clustering, every chunk in a leaf, outliers flagged; recursive: the seed-004 rules (configs/seed-004.json)')
    .option('--fit-sample <n|all|auto>', 'fit the cluster tree on a seeded sample of N chunks and route the others down the tree; all: fit every chunk; auto (default): a 200,000-chunk sample above 200,000 chunks')
    .option('--request-timeout <seconds>', 'give up on one embeddings or naming API request after this many seconds (default 60; each is retried, then reported)')
    .option('--namer <name>', 'namer: keywords (offline class-based TF-IDF, default) | openai:<model> (any OpenAI-compatible server)')
    .option('--naming-base-url <url>', 'OpenAI-compatible server for --namer openai:… (vLLM, Ollama, llama.cpp); default OPENAI_BASE_URL')
    .option('--strict-naming', 'exit with status 1 when any LLM naming call fails (the index is still written, with keyword names for those clusters)')
    .option('--naming-concurrency <n>', 'naming calls in flight at once (default 8)')
    .option('--keep-duplicates', 'index exact duplicate chunks as separate rows (by default they are indexed once, their sources kept in metadata)')
    .option('--keep-cache', 'keep the embedding cache in DIR/.work/cache after the index is written, so a rebuild with other clustering or naming settings embeds nothing')
    .option('--force', 'write into a non-empty --output that is not an index of this corpus (its index files are replaced)')
    .option('--search-index <when>', 'HNSW search index (search.usearch): auto (default: above 100K chunks) | always | never; add one later with `build-search`')
    .option('--deploy-gpu', 'build the index on a GPU host: provision, run in tmux, sync back into --output, terminate (see docs/remote.md)')
    .option('--provider <name>', '--deploy-gpu: runpod (default) | vast | ssh (an existing host)')
    .option('--gpu <type>', '--deploy-gpu: GPU type, e.g. H100 or "RTX 4090"')
    .option('--max-price <usd>', '--deploy-gpu: highest price accepted, USD per hour')
    .option('--keep-running', '--deploy-gpu: leave the instance running after the run (for debugging)')
    .option('--use-existing <target>', '--deploy-gpu: an existing instance by name or id, or user@host[:port]; never destroyed')
    .option('--ssh-key <path>', '--deploy-gpu: private SSH key (default SSH_KEY_PATH or ~/.ssh/id_ed25519)')
    .option('--image <name>', '--deploy-gpu: container image for a rented instance; it needs Node.js 20+ and npm (default runpod/pytorch:2.4.0-py3.11-cuda12.4.1-devel-ubuntu22.04)')
    .option('--remote-dir <dir>', '--deploy-gpu: folder on the host for runs and tool installs (default ~/corpus-proximity)')
    .option('-y, --yes', 'confirm that this is the exact training corpus without asking')
    .option('-q, --quiet', 'no progress lines')
    .addHelpText(
      'after',
      `
Examples:
  $ corpus-proximity index data/pretrain.jsonl --output my-index
  $ corpus-proximity index pretrain=data/web.jsonl sft=data/sft.jsonl --output my-index --text-field content
  $ corpus-proximity index docs/ --output my-index --config configs/quick-test.json --yes
  $ corpus-proximity index data/ --output my-index --embedder arctic --device cuda --dtype fp16 --batch-size 128
  $ corpus-proximity index --embeddings emb.npy --chunks chunks.jsonl --output my-index --fit-sample 200000
  $ corpus-proximity index data/ --output my-index --embedder arctic --device cuda --deploy-gpu --gpu H100 --max-price 3
  $ corpus-proximity index data/ --output my-index --deploy-gpu --use-existing root@203.0.113.7:22`,
    )
    .action(async (inputs: string[], flags: IndexFlags) => {
      if (flags.deployGpu) {
        const { runRemoteIndexCommand } = await import('./remote-index.js');
        return runRemoteIndexCommand(inputs, flags as Record<string, unknown>);
      }
      await runIndex(inputs, flags);
    });
}

async function runIndex(args: string[], flags: IndexFlags): Promise<void> {
  const config: IndexConfig = applyTreePreset(flags.config ? await readIndexConfig(flags.config) : {}, flags.tree);
  checkIndexFlags(flags as Record<string, unknown>);
  const output = flags.output ?? config.output;
  if (!output) throw new UsageError('index: --output DIR is required (the index folder to write)');
  const stage = flags.stage ?? config.stage ?? 'pretrain';
  const inputs: CorpusInput[] = [...(config.inputs ?? []).map((input) => (typeof input === 'string' ? parseInput(input, stage) : { stage, ...input })), ...args.map((arg) => parseInput(arg, stage))];
  if ((flags.embeddings === undefined) !== (flags.chunks === undefined)) {
    throw new UsageError('index: --embeddings FILE.npy and --chunks FILE.jsonl go together (the rows of one are the lines of the other)');
  }
  const precomputed = flags.embeddings !== undefined ? { embeddings: flags.embeddings, chunks: flags.chunks! } : undefined;
  if (inputs.length === 0 && !precomputed) throw new UsageError('index: give at least one corpus file or folder (or --embeddings with --chunks)');
  if (inputs.length > 0 && precomputed) throw new UsageError('index: give corpus inputs or --embeddings/--chunks, not both');
  await checkOutputFolder(output, { inputs, precomputed }, { force: flags.force });
  await confirmExactCorpus({ yes: flags.yes });

  const embedderName = pickEmbedderName({ flag: flags.embedder, config: config.embedder, precomputed: precomputed !== undefined, onNote: (message) => process.stderr.write(`note: ${message}\n`) });
  const requestTimeout = flags.requestTimeout !== undefined ? Number(flags.requestTimeout) : config.requestTimeout;
  const timeoutMs = requestTimeout !== undefined ? Math.round(requestTimeout * 1000) : undefined;
  const dimensions = flags.dimensions !== undefined ? parseInteger(flags.dimensions, '--dimensions', { min: 1 }) : undefined;
  const embedder =
    embedderName === undefined
      ? undefined
      : resolveEmbedder(embedderName, { ...config, ...(dimensions !== undefined ? { dimensions } : {}) }, {
          dimensions,
          timeoutMs,
          device: parseDevice(flags.device ?? config.device),
          dtype: parseModelDtype(flags.dtype ?? config.dtype),
          batchSize: flags.batchSize !== undefined ? parseInteger(flags.batchSize, '--batch-size', { min: 1 }) : config.batchSize,
          baseURL: flags.embeddingBaseUrl ?? config.embeddingBaseUrl,
        });
  const fitSample = parseFitSample(flags.fitSample !== undefined ? flags.fitSample : config.fitSample, flags.fitSample !== undefined ? '--fit-sample' : 'fitSample (config)');
  const namingConcurrency = flags.namingConcurrency !== undefined ? parseInteger(flags.namingConcurrency, '--naming-concurrency', { min: 1 }) : config.naming?.concurrency;
  const namer = resolveNamer(flags.namer ?? config.namer ?? 'keywords', { baseURL: flags.namingBaseUrl, concurrency: namingConcurrency, timeoutMs });
  const clusterer = resolveClusterer(config);
  const progress = createProgressReporter({ quiet: flags.quiet });
  const controller = new AbortController();
  // manifest.json is removed before and written after everything else, so stopping at once is safe.
  const onSignal = (signal: NodeJS.Signals) => {
    controller.abort();
    process.stderr.write(`\ninterrupted (${signal}): ${output} has no manifest.json, so it will not load as complete; run the same command again to resume from the last embedding checkpoint\n`);
    process.exit(signal === 'SIGINT' ? 130 : 143);
  };
  const lock = acquireOutputLock(output, { command: ['corpus-proximity', ...process.argv.slice(2)].join(' '), onWarning: (message) => process.stderr.write(`warning: ${message}\n`) });
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  const started = Date.now();
  try {
    const readableInputs = await copyNamedPipes(inputs, join(output, '.work', 'inputs'), { timeoutMs: timeoutMs ?? 60_000, onNote: (message) => process.stderr.write(`note: ${message}\n`) });
    if (embedder && embedderName) await prepareEmbedder(embedder, embedderName);
    const { index, stats } = await buildCorpusIndex({
      inputs: precomputed ? undefined : readableInputs,
      precomputed,
      output,
      embedder,
      clusterer,
      namer,
      fallbackNamer: namer.id === 'keywords' ? undefined : createKeywordNamer(),
      textField: flags.textField ?? config.textField,
      skipInvalid: flags.skipInvalid ?? config.skipInvalid,
      seed: flags.seed !== undefined ? parseInteger(flags.seed, '--seed') : config.seed,
      maxChunks: flags.maxChunks !== undefined ? parseInteger(flags.maxChunks, '--max-chunks') : config.maxChunks,
      chunking: { ...config.chunking, ...(flags.chunking !== undefined ? { strategy: parseChunking(flags.chunking) } : {}) },
      clustering: { ...config.clustering, ...(fitSample !== undefined ? { fitSample } : {}) },
      keepCache: flags.keepCache,
      deduplicate: !flags.keepDuplicates,
      checkpointEvery: flags.checkpointEvery !== undefined ? parseInteger(flags.checkpointEvery, '--checkpoint-every', { min: 1 }) : config.checkpointEvery,
      naming: { ...config.naming, concurrency: namingConcurrency },
      dtype: config.embeddingsDtype,
      searchIndex: parseSearchIndexWhen(flags.searchIndex),
      config: { umap: config.umap ?? {}, hdbscan: config.hdbscan ?? {}, config_file: flags.config ?? null },
      // Calibration cuts held-out sentences exactly as annotate cuts outputs.
      splitSentences: (text) => splitSentences(text).map((span) => span.text).filter((sentence) => spanKind(sentence) === 'prose'),
      onProgress: progress,
      onWarning: (message) => {
        progress.finish();
        process.stderr.write(`warning: ${message}\n`);
      },
      abortSignal: controller.signal,
    }).catch((error: unknown) => {
      throw explainOutputWriteError(error, output);
    });
    progress.finish();
    if (readableInputs !== inputs) await removeCopiedPipes(output);
    const seconds = ((Date.now() - started) / 1000).toFixed(1);
    process.stderr.write(
      `index written to ${output}: ${index.count} chunks, ${stats.clusters} clusters (depth ≤ ${stats.max_depth}), ${stats.noise} ${stats.tree_kind === 'recursive' ? 'noise chunks' : 'outliers flagged (each in a leaf)'}, ${index.dimension} dims, ${seconds}s\n` +
        (index.manifest.search ? `search index: search.usearch, recall@10 ${index.manifest.search.recall_at_10} against exact search\n` : '') +
        `next: corpus-proximity show --index ${output} --tree\n`,
    );
    const namerName = flags.namer ?? config.namer ?? 'keywords';
    process.exitCode = reportNamingFailures(stats.naming as NamingOutcome | undefined, { index: output, namer: namerName, baseURL: flags.namingBaseUrl, strict: flags.strictNaming }) || process.exitCode;
  } finally {
    lock.release();
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
  }
}

function parseSearchIndexWhen(value: string | undefined): 'auto' | 'always' | 'never' | undefined {
  if (value === undefined || value === 'auto' || value === 'always' || value === 'never') return value;
  throw new UsageError(`--search-index ${value}: expected auto, always or never`);
}

function parseChunking(value: string): 'paragraph' | 'words' | 'tokens' {
  if (value === 'paragraph' || value === 'words' || value === 'tokens') return value;
  throw new UsageError(`--chunking ${value}: expected paragraph, words or tokens`);
}

function parseInput(arg: string, stage: string): CorpusInput {
  const match = /^([A-Za-z][\w-]*)=(.+)$/.exec(arg);
  if (match && !existsSync(arg)) return { path: match[2]!, stage: match[1]! };
  return { path: arg, stage };
}

// Copies of named pipes are not needed once the index is written; .work/ goes when that leaves it empty.
async function removeCopiedPipes(output: string): Promise<void> {
  await rm(join(output, '.work', 'inputs'), { recursive: true, force: true });
  await rmdir(join(output, '.work')).catch(() => undefined);
}
