import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { loadCorpusIndex, walkBreadthFirst } from '@corpus-proximity/core';
import { runCli } from './test-support/run-cli.js';
import { writeSmallCorpus } from './test-support/small-corpus.js';

const work = mkdtempSync(join(tmpdir(), 'cp-duplicates-'));
const { corpus, config } = writeSmallCorpus(work);
afterAll(() => rmSync(work, { recursive: true, force: true }));

describe('exact duplicates and repeated inputs (issue 14 item 7)', () => {
  it('indexes 800 identical documents as one chunk, counted, with the provenance of every copy kept', async () => {
    const copies = join(work, 'copies.jsonl');
    writeFileSync(copies, `${Array.from({ length: 800 }, () => JSON.stringify({ text: 'Word word word of the same boilerplate notice.' })).join('\n')}\n`);
    const output = join(work, 'dedup');
    const result = await runCli(['index', corpus, copies, '--output', output, '--config', config, '--yes', '-q']);
    expect(result.code).toBe(0);
    expect(result.stderr).toContain('dropped 799 exact duplicate chunk(s)');
    const index = await loadCorpusIndex(output);
    expect(index.count).toBe(301);
    expect(index.stats.duplicate_chunks).toBe(799);
    const kept = index.chunks.indexOf('Word word word of the same boilerplate notice.');
    const provenance = index.metadata[kept]!.duplicates as Array<{ source: string; line: number }>;
    expect(provenance).toHaveLength(799);
    expect(provenance.map((row) => row.line)).toEqual(Array.from({ length: 799 }, (_, i) => i + 2));
    expect(provenance.every((row) => row.source.endsWith('copies.jsonl'))).toBe(true);
    const names: string[] = [];
    walkBreadthFirst(index.tree, (node) => names.push(node.name));
    expect(names.filter((name) => /\(\d+\)$/.test(name))).toEqual([]);
  });

  it('warns when the same input is given twice and reads it once', async () => {
    const output = join(work, 'twice');
    const result = await runCli(['index', corpus, corpus, '--output', output, '--config', config, '--yes', '-q']);
    expect(result.code).toBe(0);
    expect(result.stderr).toContain(`input ${corpus} is given more than once`);
    expect((await loadCorpusIndex(output)).count).toBe(300);
    expect(JSON.parse(readFileSync(join(output, 'stats.json'), 'utf8')).duplicate_chunks).toBe(0);
  });
});
