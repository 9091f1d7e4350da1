import { loadCorpusIndex, renameClusterTree } from '@corpus-proximity/core';
import { INDEX_FILES, replaceIndexFiles } from '@corpus-proximity/core/internal';
import { createKeywordNamer } from '@corpus-proximity/namers';
import type { Command } from 'commander';
import { statSync } from 'node:fs';
import { acquireOutputLock } from '../output-lock.js';
import { parseInteger } from '../parse.js';
import { resolveNamer } from '../plugins.js';
import { createProgressReporter } from '../progress.js';
import { reportNamingFailures } from '../report-naming-failures.js';

interface RenameFlags {
  index: string;
  namer: string;
  namingBaseUrl?: string;
  namingConcurrency?: string;
  seed?: string;
  quiet?: boolean;
  strictNaming?: boolean;
}

/** Registers `rename`: name an existing tree again (another namer or model) without re-clustering. */
export function registerRenameCommand(program: Command): void {
  program
    .command('rename')
    .description('Name the clusters of an existing index again, without re-embedding or re-clustering.')
    .requiredOption('--index <dir>', 'index folder to rename in place')
    .option('--namer <name>', 'keywords | openai:<model>', 'keywords')
    .option('--naming-base-url <url>', 'OpenAI-compatible server (vLLM, Ollama, llama.cpp…); default OPENAI_BASE_URL or api.openai.com')
    .option('--naming-concurrency <n>', 'naming calls in flight at once', '8')
    .option('--seed <n>', 'seed for sample selection (default: the seed the index was built with, so an unchanged tree renames from the cache)')
    .option('--strict-naming', 'exit with status 1 when any LLM naming call fails (the names are still written, keyword names for those clusters)')
    .option('-q, --quiet', 'no progress lines')
    .addHelpText(
      'after',
      `
Examples:
  $ corpus-proximity rename --index my-index --namer openai:gpt-4o-mini
  $ corpus-proximity rename --index my-index --namer openai:llama3.1 --naming-base-url http://localhost:11434/v1`,
    )
    .action(async (flags: RenameFlags) => {
      // A missing or non-folder --index gets the loader's message, without a lock.
      if (!statSync(flags.index, { throwIfNoEntry: false })?.isDirectory()) return renameIndex(flags);
      const lock = acquireOutputLock(flags.index, { command: ['corpus-proximity', ...process.argv.slice(2)].join(' '), onWarning: (message) => process.stderr.write(`warning: ${message}\n`) });
      try {
        await renameIndex(flags);
      } finally {
        lock.release();
      }
    });
}

async function renameIndex(flags: RenameFlags): Promise<void> {
  const index = await loadCorpusIndex(flags.index);
  const concurrency = parseInteger(flags.namingConcurrency ?? '8', '--naming-concurrency', { min: 1 });
  const namer = resolveNamer(flags.namer, { baseURL: flags.namingBaseUrl, concurrency });
  const progress = createProgressReporter({ quiet: flags.quiet });
  const naming = await renameClusterTree(index, {
    namer,
    fallback: namer.id === 'keywords' ? undefined : createKeywordNamer(),
    concurrency,
    seed: flags.seed === undefined ? undefined : parseInteger(flags.seed, '--seed'),
    onProgress: progress,
  });
  progress.finish();
  const { tree, ...result } = naming;
  const stats = { ...index.stats, naming: { ...result, namer: flags.namer, usage: namer.usage?.() } };
  const config = { ...index.config, namer: flags.namer };
  // Only tree.json, stats.json and config.json change: staged, then moved in with the manifest last, so a crash leaves a loadable index.
  await replaceIndexFiles(flags.index, index.manifest, {
    [INDEX_FILES.tree]: `${JSON.stringify(tree, null, 2)}\n`,
    [INDEX_FILES.stats]: `${JSON.stringify(stats, null, 2)}\n`,
    [INDEX_FILES.config]: `${JSON.stringify(config, null, 2)}\n`,
  });
  process.stderr.write(`renamed ${index.manifest.counts.clusters - 1} clusters in ${flags.index} (${naming.calls} namer calls, ${naming.failures} fell back to keywords)\n`);
  process.exitCode = reportNamingFailures(result, { index: flags.index, namer: flags.namer, baseURL: flags.namingBaseUrl, strict: flags.strictNaming }) || process.exitCode;
}
