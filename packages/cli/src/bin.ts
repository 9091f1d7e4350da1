#!/usr/bin/env node
import { CorpusProximityError } from '@corpus-proximity/core';
import { explainFileSystemError, OutputFolderError } from './check-output-folder.js';
import { OutputLockedError } from './output-lock.js';
import { createProgram } from './program.js';
import { UsageError } from './usage-error.js';

createProgram()
  .parseAsync(process.argv)
  .catch((error: unknown) => {
    if (error instanceof UsageError) {
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
  });

function isFileSystemError(error: unknown): error is NodeJS.ErrnoException {
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  return typeof code === 'string' && ['ENOSPC', 'EDQUOT', 'EACCES', 'EPERM', 'EROFS', 'ENOTDIR', 'EISDIR', 'ENOENT'].includes(code) && typeof (error as NodeJS.ErrnoException).path === 'string';
}
