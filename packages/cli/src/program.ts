import { Command } from 'commander';
import { registerAnalyzeCommand } from './commands/analyze-command.js';
import { registerAnnotateCommand } from './commands/annotate-command.js';
import { registerCalibrateCommand } from './commands/calibrate-command.js';
import { registerBuildSearchCommand } from './commands/build-search-command.js';
import { registerIndexCommand } from './commands/index-command.js';
import { registerRenameCommand } from './commands/rename-command.js';
import { registerRemoteCommand } from './commands/remote-command.js';
import { registerShowCommand } from './commands/show-command.js';
import { registerTinyModelCommand } from './commands/tiny-model-command.js';

/** The CLI version, printed by --version and recorded in manifests. */
export const CLI_VERSION = '0.1.0';

/** Builds the `corpus-proximity` command with all its subcommands. */
export function createProgram(): Command {
  const program = new Command('corpus-proximity')
    .description('Find where in a training corpus each sentence of a model output comes from.')
    .version(CLI_VERSION)
    .showHelpAfterError()
    .addHelpText(
      'after',
      `
Examples:
  $ corpus-proximity index data/corpus.jsonl --output my-index --yes
  $ corpus-proximity annotate outputs.jsonl --index my-index --yes
  $ corpus-proximity show --index my-index --tree`,
    );
  registerIndexCommand(program);
  registerAnnotateCommand(program);
  registerCalibrateCommand(program);
  registerShowCommand(program);
  registerRenameCommand(program);
  registerTinyModelCommand(program);
  registerAnalyzeCommand(program);
  registerBuildSearchCommand(program);
  registerRemoteCommand(program);
  return program;
}
