import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runCli } from './test-support/run-cli.js';
import { writeSmallCorpus } from './test-support/small-corpus.js';

const work = mkdtempSync(join(tmpdir(), 'cp-validate-'));
const { corpus } = writeSmallCorpus(work);
afterAll(() => rmSync(work, { recursive: true, force: true }));

const writeConfig = (name: string, value: unknown) => {
  const file = join(work, name);
  writeFileSync(file, JSON.stringify(value));
  return file;
};

describe('index checks the whole config and every flag before any work (issue 14 items 8, 9, 12)', () => {
  it('rejects embeddingsDtype float64, an unknown strategy and a negative depth at once, writing nothing', async () => {
    const config = writeConfig('bad.json', { embeddingsDtype: 'float64', chunking: { strategy: 'sentences' }, clustering: { maxDepth: -1 } });
    const output = join(work, 'bad-index');
    const result = await runCli(['index', corpus, '--output', output, '--config', config, '--yes']);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain(config);
    expect(result.stderr).toContain('field embeddingsDtype is "float64"; expected "float32" or "float16"');
    expect(result.stderr).toContain('field chunking.strategy is "sentences"');
    expect(result.stderr).toContain('field clustering.maxDepth is -1; must be ≥ 0');
    expect(result.stderr).not.toMatch(/\[(read|embed)\]/);
    expect(existsSync(output)).toBe(false);
  });

  it('says a field has the wrong kind in words: {"output": 42}', async () => {
    const result = await runCli(['index', corpus, '--config', writeConfig('output.json', { output: 42 }), '--yes']);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('field output is a number (42), not text');
  });

  it('rejects --max-chunks 0 and --stage "" up front, naming the flag', async () => {
    const zero = await runCli(['index', corpus, '--output', join(work, 'zero'), '--max-chunks', '0', '--yes']);
    expect(zero.code).toBe(2);
    expect(zero.stderr).toContain('--max-chunks is 0; must be ≥ 1');
    expect(zero.stderr).not.toMatch(/\[(read|embed)\]|LSA|unexpected/);
    const stage = await runCli(['index', corpus, '--output', join(work, 'stage'), '--stage', '', '--yes']);
    expect(stage.code).toBe(2);
    expect(stage.stderr).toContain('--stage is ""');
    expect(stage.stderr).toContain('stage name');
  });
});
