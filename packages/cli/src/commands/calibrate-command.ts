import { spanKind, splitSentences } from '@corpus-proximity/annotate';
import { calibrateCorpusIndex, loadCorpusIndex } from '@corpus-proximity/core';
import { embedderFromManifest } from '@corpus-proximity/embedders';
import type { Command } from 'commander';
import { parseInteger } from '../parse.js';
import { parseDevice } from '../plugins.js';
import { createProgressReporter } from '../progress.js';

interface CalibrateFlags {
  index: string;
  samples?: string;
  seed?: string;
  device?: string;
  quiet?: boolean;
}

/** Registers `calibrate`: adds or recomputes lexical.json, lexical-lm.bin and calibration.json of an existing index. */
export function registerCalibrateCommand(program: Command): void {
  program
    .command('calibrate')
    .description('Add or recompute the lexical index and calibration.json of an existing index (e.g. one built before they existed).')
    .requiredOption('--index <dir>', 'index folder built by `corpus-proximity index`')
    .option('--samples <n>', 'held-out corpus sentences to score (default 500)')
    .option('--seed <n>', 'seed of the held-out sample (default: the index\'s seed)')
    .option('--device <device>', 'ONNX indexes: embed the held-out sentences on cpu (default), cuda or auto')
    .option('-q, --quiet', 'no progress lines')
    .addHelpText(
      'after',
      `
Examples:
  $ corpus-proximity calibrate --index my-index
  $ corpus-proximity calibrate --index my-index --samples 2000 --seed 7`,
    )
    .action(async (flags: CalibrateFlags) => {
      const index = await loadCorpusIndex(flags.index);
      // Indexes built from --embeddings without an embedder are calibrated chunk to chunk.
      const embedder =
        index.embedder.provider === 'precomputed'
          ? undefined
          : embedderFromManifest(
              { provider: index.embedder.provider, modelId: index.embedder.modelId, dimensions: index.embedder.dimensions, settings: index.manifest.embedder.settings },
              index.embedder.state?.files ?? {},
              { onnx: flags.device ? { device: parseDevice(flags.device) } : {} },
            );
      const progress = createProgressReporter({ quiet: flags.quiet });
      const started = Date.now();
      const result = await calibrateCorpusIndex(index, {
        embedder,
        samples: flags.samples !== undefined ? parseInteger(flags.samples, '--samples', { min: 1 }) : undefined,
        seed: flags.seed !== undefined ? parseInteger(flags.seed, '--seed') : undefined,
        splitSentences: (text) => splitSentences(text).map((span) => span.text).filter((sentence) => spanKind(sentence) === 'prose'),
        onProgress: progress,
      });
      progress.finish();
      const seconds = ((Date.now() - started) / 1000).toFixed(1);
      if (result.calibration) {
        const c = result.calibration;
        process.stderr.write(`calibrated ${flags.index}: ${c.samples} held-out ${c.method === 'chunk-to-chunk' ? 'chunks (chunk-to-chunk: the index has no embedder for sentences)' : 'sentences'}, lexical index of ${index.count} chunks, ${seconds}s\n`);
      } else {
        process.stderr.write(`lexical index written, but no calibration.json for ${flags.index}: ${result.reason}\n`);
      }
    });
}
