#!/usr/bin/env node
// Writes a deterministic slice of WordNet glosses as JSONL: node make-wordnet-corpus.mjs OUT.jsonl [SIZE] [SEED]
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { wordNetSlice } from './wordnet-corpus.mjs';

const [out, size = '6000', seed = '42'] = process.argv.slice(2);
if (!out) {
  console.error('usage: make-wordnet-corpus.mjs OUT.jsonl [SIZE] [SEED]');
  process.exit(2);
}
const { corpus } = wordNetSlice({ size: Number(size), seed: Number(seed) });
mkdirSync(dirname(out), { recursive: true });
writeFileSync(out, corpus.map((record) => JSON.stringify(record)).join('\n') + '\n');
console.error(`wrote ${corpus.length} WordNet glosses to ${out}`);
