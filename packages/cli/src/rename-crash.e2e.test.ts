import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadCorpusIndex, readIndexManifest } from '@corpus-proximity/core';
import { replaceIndexFiles, STAGING_FOLDER } from '@corpus-proximity/core/internal';
import { runCli } from './test-support/run-cli.js';
import { writeSmallCorpus } from './test-support/small-corpus.js';

const work = mkdtempSync(join(tmpdir(), 'cp-rename-crash-'));
const index = join(work, 'index');
beforeAll(async () => {
  const { corpus, config } = writeSmallCorpus(work);
  expect((await runCli(['index', corpus, '--output', index, '--config', config, '--yes', '-q'])).code).toBe(0);
});
afterAll(() => rmSync(work, { recursive: true, force: true }));

describe('a crash during rename (issue 14 item 6)', () => {
  it('leaves an index that show loads and that rename finishes', async () => {
    const before = await loadCorpusIndex(index);
    const tree = structuredClone(before.tree);
    tree.children[0]!.name = 'Crashed Rename Name';
    // The process dies after moving tree.json into place, before the manifest: the old code left no manifest at all.
    await expect(
      replaceIndexFiles(index, before.manifest, { 'tree.json': `${JSON.stringify(tree, null, 2)}\n` }, {
        beforeStep: (step) => {
          if (step === 'commit:manifest.json') throw new Error('killed');
        },
      }),
    ).rejects.toThrow('killed');
    expect(existsSync(join(index, STAGING_FOLDER))).toBe(true);
    const shown = await runCli(['show', '--index', index, '--list']);
    expect(shown.stderr).toBe('');
    expect(shown.code).toBe(0);
    expect(shown.stdout).toContain('Crashed Rename Name');
    const renamed = await runCli(['rename', '--index', index, '-q']);
    expect(renamed.code).toBe(0);
    expect((await readIndexManifest(index)).counts).toEqual(before.manifest.counts);
    expect((await loadCorpusIndex(index)).tree.children[0]!.name).toBe(before.tree.children[0]!.name);
  });
});
