#!/usr/bin/env node
import { CorpusProximityError } from '@corpus-proximity/core';
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
    } else {
      process.stderr.write(`unexpected error: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
      process.exitCode = 1;
    }
  });
