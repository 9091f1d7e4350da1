import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
// @ts-expect-error plain ESM module without types
import { wordNetSlice } from '../../../examples/wordnet/wordnet-corpus.mjs';
import { runCli } from './test-support/run-cli.js';

const work = mkdtempSync(join(tmpdir(), 'cp-calibrate-e2e-'));
const index = join(work, 'index');
const outputs = join(work, 'outputs.jsonl');
let heldOut: string[] = [];

beforeAll(async () => {
  const slice = wordNetSlice({ size: 600, heldOut: 3, seed: 5 }) as { corpus: Array<Record<string, unknown>>; heldOut: Array<{ text: string }> };
  heldOut = slice.heldOut.map((record) => record.text);
  const corpus = join(work, 'wordnet.jsonl');
  writeFileSync(corpus, slice.corpus.map((record) => JSON.stringify(record)).join('\n') + '\n');
  const config = join(work, 'config.json');
  writeFileSync(config, JSON.stringify({ dimensions: 48, clustering: { maxDepth: 1 }, umap: { nComponents: 5 } }));
  const result = await runCli(['index', corpus, '--output', index, '--config', config, '--yes', '--quiet']);
  expect(result.stderr).toContain('index written');
  writeFileSync(
    outputs,
    [
      JSON.stringify({ output: `${slice.corpus[3]!.text}` }),
      JSON.stringify({ output: 'Zqxv brrkt plonthy vrask.' }),
      JSON.stringify({ output: '```python\nprint(sum(range(10)))\n```' }),
      JSON.stringify({ output: heldOut[0] }),
    ].join('\n') + '\n',
  );
}, 600_000);
afterAll(() => rmSync(work, { recursive: true, force: true }));

const annotate = (...extra: string[]) => runCli(['annotate', outputs, '--index', index, '--yes', '--quiet', ...extra]);

describe('calibrated verdicts through the CLI', () => {
  it('writes calibration.json with the index and puts the verdict fields in JSON', async () => {
    const manifest = JSON.parse(readFileSync(join(index, 'manifest.json'), 'utf8'));
    expect(Object.keys(manifest.files)).toEqual(expect.arrayContaining(['calibration.json', 'lexical.json', 'lexical-lm.bin']));
    const result = await annotate('--format', 'json');
    expect(result.code).toBe(0);
    expect(result.stderr).not.toContain('calibration.json');
    const [copied, unknown, code, held] = result.stdout.trim().split('\n').map((line) => JSON.parse(line));
    expect(copied.confidence).toBe('HIGH');
    expect(copied.annotation_metadata.calibration).toBe('held-out-sentences');
    const top = copied.annotations[0];
    for (const field of ['in_distribution', 'confidence', 'lexical_score', 'token_coverage', 'overlap_span', 'no_evidence', 'span_kind']) expect(top).toHaveProperty(field);
    expect(top.overlap_span.words).toBeGreaterThanOrEqual(3);
    expect(unknown).toMatchObject({ confidence: 'NO_EVIDENCE', mean_in_distribution: 0 });
    expect(unknown.annotations[0]).toMatchObject({ no_evidence: true, cluster_id: null, distance: null, token_coverage: 0 });
    expect(code.annotations[0]).toMatchObject({ span_kind: 'code', no_evidence: true });
    expect(held.mean_in_distribution).toBeGreaterThan(0);
  });

  it('shows the percentile and verdict in chess and compact formats, and --bands overrides them with raw distance', async () => {
    const chess = await annotate();
    expect(chess.stdout).toMatch(/▸ HIGH · in-distribution \d+% · lexical \d\.\d\d · words known \d+%/);
    expect(chess.stdout).toContain('no corpus evidence');
    expect(chess.stdout).toContain('code span: not matched');
    expect(chess.stdout).toMatch(/Mean in-distribution: \d+% of held-out corpus text scored as far or farther \(HIGH confidence\)/);
    expect(chess.stdout).not.toContain('likely hallucination');
    const compact = await annotate('--format', 'compact');
    expect(compact.stdout.split('\n')[0]).toMatch(/· HIGH \d+%$/);
    const raw = await annotate('--format', 'json', '--bands', '0.0001,0.0002');
    const first = JSON.parse(raw.stdout.split('\n')[3]!);
    expect(first.annotation_metadata.calibration).toBe('raw-distance-bands');
    expect(first.confidence).toBe('LOW');
  });

  it('annotates an index written without calibration with raw bands, says how to add it, and `calibrate` adds it', async () => {
    // An index as written before calibration existed: no calibration files, no manifest entries.
    const manifestPath = join(index, 'manifest.json');
    const manifest = JSON.parse(readFileSync(manifestPath, 'utf8'));
    for (const file of ['calibration.json', 'lexical.json', 'lexical-lm.bin']) {
      delete manifest.files[file];
      rmSync(join(index, file));
    }
    writeFileSync(manifestPath, JSON.stringify(manifest, null, 2));
    const old = await annotate('--format', 'json');
    expect(old.code).toBe(0);
    expect(old.stderr).toContain(`has no calibration.json, so verdicts use raw distance bands (0.15 / 0.30); add it with: corpus-proximity calibrate --index ${index}`);
    expect(old.stderr.match(/no calibration\.json/g)).toHaveLength(1);
    const [copied] = old.stdout.trim().split('\n').map((line) => JSON.parse(line));
    expect(copied.annotation_metadata.calibration).toBe('raw-distance-bands');
    expect(copied.annotations[0].in_distribution).toBeNull();

    const calibrated = await runCli(['calibrate', '--index', index, '--quiet']);
    expect(calibrated.code).toBe(0);
    expect(calibrated.stderr).toMatch(/calibrated .+: 500 held-out sentences, lexical index of 600 chunks/);
    const after = await annotate('--format', 'json');
    expect(after.stderr).not.toContain('calibration.json');
    const [again] = after.stdout.trim().split('\n').map((line) => JSON.parse(line));
    expect(again.annotation_metadata.calibration).toBe('held-out-sentences');
    expect(typeof again.annotations[0].in_distribution).toBe('number');
  });

  it('names calibration.json when it was changed after the index was written', async () => {
    const path = join(index, 'calibration.json');
    writeFileSync(path, readFileSync(path, 'utf8').replace('"samples": 500', '"samples": 501'));
    const result = await annotate('--format', 'json');
    expect(result.code).not.toBe(0);
    expect(result.stderr).toMatch(/calibration\.json: checksum mismatch/);
    expect(result.stderr).not.toMatch(/\n\s+at /);
  });
});
