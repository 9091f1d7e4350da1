import { createInterface } from 'node:readline/promises';
import { UsageError } from './usage-error.js';

/** The seed-001 corpus requirement warning, shown before indexing and annotating. */
export const CORPUS_WARNING = `================================================================================
⚠️  CORPUS REQUIREMENT WARNING
================================================================================

This tool requires the EXACT training corpus used for your model.

If you provide an approximate or different corpus, results are MEANINGLESS.

Examples of what NOT to do:
  ❌ "I used FineWeb-Edu but I'm not sure which version"
  ❌ "I used FineWeb-Edu + some custom data I forgot about"
  ❌ "I'm using GPT-4's assumed training data"

What you MUST do:
  ✅ Provide the exact JSONL files used during training
  ✅ Include ALL stages (pretrain, midtrain, SFT)
  ✅ Use the same chunking strategy as training (if known)

If you can't provide the exact corpus, this tool cannot help you.
`;

/**
 * Shows the warning and asks y/n on a terminal. `--yes` skips it; with no terminal on stdin
 * (a pipe, CI) it refuses unless `--yes` was given, since nobody can answer.
 */
export async function confirmExactCorpus(options: { yes?: boolean; input?: NodeJS.ReadStream; output?: NodeJS.WriteStream }): Promise<void> {
  if (options.yes) return;
  const input = options.input ?? process.stdin;
  const output = options.output ?? process.stderr;
  output.write(CORPUS_WARNING);
  if (!input.isTTY) {
    throw new UsageError('stdin is not a terminal, so the corpus question cannot be answered: pass --yes to confirm that this is the exact training corpus.');
  }
  const readline = createInterface({ input, output });
  try {
    const answer = (await readline.question('Do you have the EXACT training corpus? (y/n): ')).trim().toLowerCase();
    if (answer !== 'y' && answer !== 'yes') throw new UsageError('stopped: the exact training corpus is required (answer y, or pass --yes).');
  } finally {
    readline.close();
  }
}
