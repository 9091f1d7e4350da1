export { createProgram, CLI_VERSION } from './program.js';
export { CORPUS_WARNING, confirmExactCorpus } from './confirm-corpus.js';
export { readIndexConfig, type IndexConfig } from './index-config.js';
export { renderShow } from './commands/show-command.js';
export { createProgressReporter, formatProgress } from './progress.js';
export { UsageError } from './usage-error.js';
