import { writeTinyBertModel } from '@corpus-proximity/embedders';
import type { Command } from 'commander';
import { parseInteger } from '../parse.js';

/** Registers `tiny-model`: write a tiny BERT-shaped ONNX model folder for tests, no downloads. */
export function registerTinyModelCommand(program: Command): void {
  program
    .command('tiny-model')
    .description('Write a tiny BERT-shaped ONNX model + WordPiece tokenizer (random weights) to test ONNX embedding offline.')
    .requiredOption('--out <dir>', 'folder to write (config.json, tokenizer.json, tokenizer_config.json, onnx/model.onnx)')
    .option('--hidden <n>', 'hidden size', '32')
    .option('--layers <n>', 'attention layers', '1')
    .option('--seed <n>', 'seed of the random weights', '1')
    .addHelpText(
      'after',
      `
Examples:
  $ corpus-proximity tiny-model --out models/tiny-bert
  $ corpus-proximity index corpus.jsonl --output my-index --embedder onnx:$PWD/models/tiny-bert --yes`,
    )
    .action(async (flags: { out: string; hidden: string; layers: string; seed: string }) => {
      const { files, vocabularySize } = await writeTinyBertModel(flags.out, {
        hidden: parseInteger(flags.hidden, '--hidden', { min: 4 }),
        layers: parseInteger(flags.layers, '--layers', { min: 1 }),
        seed: parseInteger(flags.seed, '--seed'),
      });
      process.stderr.write(`wrote a tiny BERT model (${vocabularySize} tokens) to ${flags.out}: ${files.join(', ')}\n`);
    });
}
