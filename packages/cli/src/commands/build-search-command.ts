import { statSync } from 'node:fs';
import { addSearchIndex, type SearchIndexSettings } from '@corpus-proximity/core';
import { SEARCH_INDEX_FILE } from '@corpus-proximity/core/internal';
import type { Command } from 'commander';
import { join } from 'node:path';
import { acquireOutputLock } from '../output-lock.js';
import { parseInteger } from '../parse.js';
import { createProgressReporter } from '../progress.js';
import { UsageError } from '../usage-error.js';

interface BuildSearchFlags {
  index: string;
  quantization?: string;
  connectivity?: string;
  efConstruction?: string;
  efSearch?: string;
  recallQueries?: string;
  seed?: string;
  quiet?: boolean;
}

/** Registers `build-search`: adds (or rebuilds) the HNSW search index of an existing index folder. */
export function registerBuildSearchCommand(program: Command): void {
  program
    .command('build-search')
    .description('Add the approximate (HNSW) search index to an existing index folder, and measure its recall@10 against exact search.')
    .requiredOption('--index <dir>', 'index folder built by `corpus-proximity index`')
    .option('--quantization <type>', 'vectors kept in the graph: i8 (default; smallest, fastest) | f16 (candidates are re-ranked exactly either way)')
    .option('--connectivity <n>', 'graph degree M (default 16)')
    .option('--ef-construction <n>', 'breadth while building (default 128)')
    .option('--ef-search <n>', 'breadth while searching, recorded as the default: a number, or auto (default: the smallest of 64/128/256/512 whose measured recall@10 reaches 0.97)')
    .option('--recall-queries <n>', 'sample rows used as queries to measure recall@10 (default 200; 0 skips it)')
    .option('--seed <n>', 'seed of the recall sample (default 42)')
    .option('-q, --quiet', 'no progress lines')
    .addHelpText(
      'after',
      `
Examples:
  $ corpus-proximity build-search --index my-index
  $ corpus-proximity build-search --index my-index --quantization f16 --ef-search 512
  $ corpus-proximity annotate outputs.jsonl --index my-index --search ann --yes`,
    )
    .action(async (flags: BuildSearchFlags) => {
      const settings: Partial<SearchIndexSettings> = {};
      if (flags.quantization !== undefined) {
        if (flags.quantization !== 'f16' && flags.quantization !== 'i8') throw new UsageError(`--quantization ${flags.quantization}: expected f16 or i8`);
        settings.quantization = flags.quantization;
      }
      if (flags.connectivity !== undefined) settings.connectivity = parseInteger(flags.connectivity, '--connectivity', { min: 2 });
      if (flags.efConstruction !== undefined) settings.expansionAdd = parseInteger(flags.efConstruction, '--ef-construction', { min: 2 });
      if (flags.efSearch !== undefined) settings.expansionSearch = flags.efSearch === 'auto' ? 'auto' : parseInteger(flags.efSearch, '--ef-search', { min: 2 });
      if (flags.recallQueries !== undefined) settings.recallQueries = parseInteger(flags.recallQueries, '--recall-queries');
      if (flags.seed !== undefined) settings.seed = parseInteger(flags.seed, '--seed');
      const progress = createProgressReporter({ quiet: flags.quiet });
      // Two builds at once would leave one run's file beside the other's manifest: the index folder is locked, as `index` and `rename` lock it.
      const lock = statSync(flags.index, { throwIfNoEntry: false })?.isDirectory()
        ? acquireOutputLock(flags.index, { command: ['corpus-proximity', ...process.argv.slice(2)].join(' '), onWarning: (message) => process.stderr.write(`warning: ${message}\n`) })
        : undefined;
      let result: Awaited<ReturnType<typeof addSearchIndex>>;
      try {
        result = await addSearchIndex(flags.index, { settings, onProgress: progress });
      } finally {
        lock?.release();
      }
      progress.finish();
      const { metadata } = result;
      const megabytes = (result.manifest.files[SEARCH_INDEX_FILE]!.bytes / 2 ** 20).toFixed(1);
      const recall = metadata.recall_queries > 0 ? `recall@10 ${metadata.recall_at_10} against exact search (${metadata.recall_queries} sample queries), ef ${metadata.expansion_search}${metadata.recall_by_ef ? ' (chosen automatically)' : ''}` : `recall not measured, ef ${metadata.expansion_search}`;
      process.stderr.write(
        `search index written to ${join(flags.index, SEARCH_INDEX_FILE)}: ${metadata.count} vectors × ${metadata.dimension} (${metadata.quantization}), ${megabytes} MiB, ${recall}, ${(result.buildMs / 1000).toFixed(1)}s\n` +
          `next: corpus-proximity annotate OUTPUTS.jsonl --index ${flags.index} --search ann\n`,
      );
    });
}
