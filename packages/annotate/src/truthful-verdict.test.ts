import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildCorpusIndex, type CorpusIndex } from '@corpus-proximity/core';
import { createMockClusterer, createMockEmbedder, createMockNamer } from '@corpus-proximity/core/test';
// @ts-expect-error plain ESM module without types
import { wordNetSlice } from '../../../examples/wordnet/wordnet-corpus.mjs';
import { annotateBatch } from './annotate-batch.js';
import { annotatedOutputFromJson, annotatedOutputToJson } from './annotated-output-to-json.js';
import { formatChess } from './format-chess.js';
import { formatCompact } from './format-compact.js';

const work = mkdtempSync(join(tmpdir(), 'cp-truth-'));
const embedder = createMockEmbedder();
let index: CorpusIndex;
let heldOut: string[];
let corpus: string[];

beforeAll(async () => {
  const slice = wordNetSlice({ size: 400, heldOut: 60, seed: 11 }) as { corpus: Array<{ text: string }>; heldOut: Array<{ text: string }> };
  corpus = slice.corpus.map((record) => record.text);
  heldOut = slice.heldOut.map((record) => record.text);
  const file = join(work, 'corpus.jsonl');
  writeFileSync(file, corpus.map((text) => JSON.stringify({ text })).join('\n') + '\n');
  ({ index } = await buildCorpusIndex({ inputs: [{ path: file, stage: 'pretrain' }], output: join(work, 'index'), embedder, clusterer: createMockClusterer(), namer: createMockNamer() }));
}, 120_000);
afterAll(() => rmSync(work, { recursive: true, force: true }));

describe('annotations that tell the truth', () => {
  it('never calls unknown, gibberish, code, math or empty text HIGH, and never gives it d = 0', async () => {
    const texts = [
      'Zqxv brrkt plonthy vrask.',
      'qwzx the vvkjp of xxqtz and mmrrp',
      '!!! ???',
      '```js\nconst x = compute(1, 2);\n```',
      'const total = items.reduce((sum, item) => sum + item.price, 0);',
      '$x^2 + 2x = 3$',
      '',
    ];
    const outputs = await annotateBatch(index, embedder, texts);
    for (const output of outputs) {
      expect(output.confidence).not.toBe('HIGH');
      for (const annotation of output.annotations) {
        expect(annotation.confidence).not.toBe('HIGH');
        expect(annotation.distance).toBeGreaterThan(0.05);
      }
    }
    const [unknown, mostlyGibberish, punctuation, fenced, codeLine, math, empty] = outputs as [any, any, any, any, any, any, any];
    expect(unknown.annotations).toHaveLength(1);
    expect(unknown.annotations[0]).toMatchObject({ noEvidence: true, confidence: 'NO_EVIDENCE', clusterId: '', nearestChunkIdx: -1, distance: 1, tokenCoverage: 0, spanKind: 'prose' });
    expect(unknown.confidence).toBe('NO_EVIDENCE');
    expect(['LOW', 'NO_EVIDENCE']).toContain(mostlyGibberish.confidence);
    expect(punctuation.annotations[0].noEvidence).toBe(true);
    expect(fenced.annotations[0]).toMatchObject({ spanKind: 'code', noEvidence: true, confidence: 'NO_EVIDENCE' });
    expect(codeLine.annotations[0]).toMatchObject({ spanKind: 'code', noEvidence: true });
    expect(math.annotations[0]).toMatchObject({ spanKind: 'math', noEvidence: true });
    expect(empty.annotations).toHaveLength(0);
    expect(empty.confidence).toBe('NO_EVIDENCE');
    expect(formatChess(unknown)).toContain('no corpus evidence');
    expect(formatChess(fenced)).toContain('code span: not matched');
  });

  it('calls held-out text of the corpus in distribution (rarely LOW) and text copied from it HIGH with its verbatim span', async () => {
    const outputs = await annotateBatch(index, embedder, heldOut);
    const low = outputs.filter((output) => output.confidence === 'LOW').length;
    expect(low / outputs.length).toBeLessThanOrEqual(0.2);
    for (const output of outputs) expect(output.metadata.calibration).toBe('held-out-sentences');

    const copied = corpus[17]!;
    const [output] = await annotateBatch(index, embedder, [copied], { phraseLevel: false });
    const top = output!.annotations[0]!;
    expect(top.confidence).toBe('HIGH');
    expect(top.inDistribution).toBeGreaterThan(0.9);
    expect(top.nearestChunkIdx).toBe(17);
    expect(top.overlapSpan?.chunkIdx).toBe(17);
    expect(top.overlapSpan?.words).toBe(copied.match(/[\p{L}\p{N}]+/gu)!.length);
    expect(copied.slice(top.overlapSpan!.chunkStart, top.overlapSpan!.chunkEnd)).toBe(output!.text.slice(top.overlapSpan!.sentenceStart, top.overlapSpan!.sentenceEnd));
    expect(top.tokenCoverage).toBe(1);
    expect(top.lexicalScore).toBeCloseTo(1, 5);
    const chess = formatChess(output!);
    expect(chess).toMatch(/HIGH · in-distribution \d+%/);
    expect(chess).toMatch(/Mean in-distribution: \d+%/);
    expect(formatCompact(output!)).toMatch(/· HIGH \d+%$/);
  });

  it('names no cluster when the embedder knows none of the words, but still judges the words the corpus knows', async () => {
    // Like the LSA embedder on "The derivative of x^2 is 2x.": every word it knows is a stop word, so the query vector is zero.
    const blind = { ...embedder, doEmbed: async ({ values }: { values: string[] }) => ({ embeddings: values.map(() => new Float32Array(embedder.dimensions)) }) };
    const [output] = await annotateBatch(index, blind, ['The tree of the water is a bird.']);
    const top = output!.annotations[0]!;
    expect(top).toMatchObject({ noEvidence: true, clusterId: '', distance: 1 });
    expect(top.tokenCoverage).toBeGreaterThan(0.5);
    expect(top.confidence).not.toBe('HIGH');
    expect(top.confidence).not.toBe('NO_EVIDENCE');
    expect(output!.confidence).not.toBe('NO_EVIDENCE');
    expect(formatChess(output!)).toMatch(/no cluster: the embedder knows none of its words, though \d+% of its words occur in the corpus/);
  });

  it('keeps every new field through JSON, and --bands overrides the calibrated verdict with raw distance', async () => {
    const [output] = await annotateBatch(index, embedder, [`${heldOut[0]}\n\nZqxv brrkt plonthy.`]);
    const json = annotatedOutputToJson(output!);
    expect(json.annotations.at(-1)).toMatchObject({ no_evidence: true, cluster_id: null, distance: null, nearest_chunk_idx: null, confidence: 'NO_EVIDENCE' });
    expect(typeof json.mean_in_distribution).toBe('number');
    expect(annotatedOutputFromJson(JSON.parse(JSON.stringify(json)))).toEqual(output);

    const [raw] = await annotateBatch(index, embedder, [heldOut[0]!], { bands: { high: 2, medium: 2 } });
    expect(raw!.metadata.calibration).toBe('raw-distance-bands');
    expect(raw!.confidence).toBe('HIGH');
    const [strict] = await annotateBatch(index, embedder, [heldOut[0]!], { bands: { high: 0, medium: 0 } });
    expect(strict!.confidence).toBe('LOW');
  });
});
