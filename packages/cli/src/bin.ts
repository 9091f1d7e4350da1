#!/usr/bin/env node
import { CorpusProximityError } from '@corpus-proximity/core';
import { CommanderError } from 'commander';
import { explainFileSystemError, OutputFolderError } from './check-output-folder.js';
import { OutputLockedError } from './output-lock.js';
import { createProgram } from './program.js';
import { UsageError } from './usage-error.js';

// Our warnings (and Node's) go through one printer as `warning: …` lines, never Node's raw
// `(node:PID) …Warning … --trace-warnings`; with -q only our own are kept.
const quiet = process.argv.includes('-q') || process.argv.includes('--quiet');
process.removeAllListeners('warning');
process.on('warning', (warning) => {
  if (warning.name === 'CorpusProximityWarning') process.stderr.write(`warning: ${warning.message}\n`);
  else if (!quiet) process.stderr.write(`warning: ${warning.name}: ${warning.message}\n`);
});

const program = createProgram();
// Usage mistakes (unknown option, missing required option) exit 2, as docs/cli.md says; commander prints the message itself.
for (const command of [program, ...program.commands]) command.exitOverride();

program
  .parseAsync(process.argv)
  .catch((error: unknown) => {
    if (error instanceof CommanderError) {
      process.exitCode = error.exitCode === 0 ? 0 : 2;
    } else if (error instanceof UsageError) {
      process.stderr.write(`error: ${error.message}\n`);
      process.exitCode = 2;
    } else if (CorpusProximityError.isInstance(error)) {
      process.stderr.write(`error: ${error.message}\n`);
      process.exitCode = error.code === 'aborted' ? 130 : 1;
    } else if (error instanceof OutputFolderError || error instanceof OutputLockedError) {
      process.stderr.write(`error: ${error.message}\n`);
      process.exitCode = 1;
    } else if (isFileSystemError(error)) {
      // A full disk or a read-only folder met mid-run: name the path and the fix, no stack trace.
      process.stderr.write(`error: ${explainFileSystemError(error, error.path ?? '').message}\n`);
      process.exitCode = 1;
    } else {
      process.stderr.write(`unexpected error: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
      process.exitCode = 1;
    }
    // A failed run stops now, even with an open blocked for good (a named pipe nobody writes to).
    if (process.exitCode !== 0) process.exit();
  });

function isFileSystemError(error: unknown): error is NodeJS.ErrnoException {
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  return typeof code === 'string' && ['ENOSPC', 'EDQUOT', 'EACCES', 'EPERM', 'EROFS', 'ENOTDIR', 'EISDIR', 'ENOENT'].includes(code) && typeof (error as NodeJS.ErrnoException).path === 'string';
}
