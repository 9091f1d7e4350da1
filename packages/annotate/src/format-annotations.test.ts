import { InvalidInputError } from '@corpus-proximity/core';
import { describe, expect, it } from 'vitest';
import { annotateText } from './annotate-text.js';
import { annotatedOutputFromJson, annotatedOutputToJson } from './annotated-output-to-json.js';
import { formatAnnotations } from './format-annotations.js';
import { formatChess } from './format-chess.js';
import { formatCompact } from './format-compact.js';
import { createFixtureIndex, createMockEmbedder, seedExample } from './test-fixture.js';

const ANNOTATION_KEYS = [
  'text_span', 'char_start', 'char_end', 'sentence_index', 'cluster_id', 'cluster_name', 'cluster_depth',
  'cluster_path', 'distance', 'rank', 'corpus_stage', 'nearest_chunk_idx', 'nearest_chunk_text', 'is_noise',
  'span_kind', 'no_evidence', 'in_distribution', 'confidence', 'lexical_score', 'token_coverage', 'overlap_span',
];

describe('formatCompact', () => {
  it('shows a preview and the nearest cluster of the first sentences', () => {
    expect(formatCompact(seedExample())).toBe(
      '"The derivative of x^2 is 2x. This follows from the power rul…" → Calculus Education (0.08), Mathematics Textbooks (0.12)',
    );
  });

  it('cuts long text at 60 characters and flattens whitespace', () => {
    const output = { ...seedExample(), text: `first line\n${'word '.repeat(30)}` };
    const line = formatCompact(output);
    expect(line.startsWith(`"first line ${'word '.repeat(10).slice(0, 49)}…" → `)).toBe(true);
    expect(line).not.toContain('\n');
    expect(formatCompact({ ...seedExample(), annotations: [] })).toMatch(/→ \(no annotations\)$/);
  });
});

describe('annotatedOutputToJson', () => {
  it('writes the snake_case shape with every field, and reads it back', async () => {
    const output = await annotateText(createFixtureIndex(), createMockEmbedder(), 'Bake the bread. Numbers and proofs appear throughout mathematics.', {
      k: 2,
      prompt: 'p',
    });
    const json = annotatedOutputToJson(output);
    expect(Object.keys(json)).toEqual(['prompt', 'text', 'annotations', 'confidence', 'mean_in_distribution', 'annotation_metadata']);
    expect(Object.keys(json.annotation_metadata)).toEqual(['timestamp', 'corpus_index_path', 'k', 'phrase_level', 'embedder_id', 'calibration']);
    expect(json.annotation_metadata).toMatchObject({ corpus_index_path: '/tmp/fixture-index', k: 2, phrase_level: true, embedder_id: 'mock:bag-of-words' });
    expect(json.annotations).toHaveLength(4);
    for (const [position, item] of json.annotations.entries()) {
      expect(Object.keys(item)).toEqual(ANNOTATION_KEYS);
      const source = output.annotations[position]!;
      expect([item.text_span, item.char_start, item.char_end, item.sentence_index, item.cluster_id, item.cluster_name]).toEqual([
        source.textSpan, source.charStart, source.charEnd, source.sentenceIndex, source.clusterId, source.clusterName,
      ]);
      expect([item.cluster_depth, item.cluster_path, item.distance, item.rank, item.corpus_stage, item.nearest_chunk_idx, item.nearest_chunk_text, item.is_noise]).toEqual([
        source.clusterDepth, source.clusterPath, source.distance, source.rank, source.corpusStage, source.nearestChunkIdx, source.nearestChunkText, source.isNoise,
      ]);
    }
    expect(json.annotations.some((item) => item.is_noise)).toBe(true);
    const line = JSON.stringify(json);
    expect(annotatedOutputFromJson(JSON.parse(line))).toEqual(output);
  });

  it('names the file, line and field of a malformed record', () => {
    const json = annotatedOutputToJson(seedExample()) as unknown as { annotations: Array<Record<string, unknown>> };
    json.annotations[2]!.rank = 'first';
    const error = (() => {
      try {
        annotatedOutputFromJson(json, { file: 'out.jsonl', line: 7 });
      } catch (caught) {
        return caught;
      }
    })();
    expect(error).toBeInstanceOf(InvalidInputError);
    expect((error as InvalidInputError).line).toBe(7);
    expect((error as Error).message).toContain('(out.jsonl:7): annotations[2].rank must be an integer');
    expect(() => annotatedOutputFromJson([])).toThrow(/the record must be an object/);
  });

  it('reads records without embedder_id or is_noise (written by the Python prototype)', () => {
    const json = annotatedOutputToJson(seedExample()) as unknown as { annotations: Array<Record<string, unknown>>; annotation_metadata: Record<string, unknown> };
    delete json.annotation_metadata.embedder_id;
    for (const item of json.annotations) delete item.is_noise;
    const output = annotatedOutputFromJson(json);
    expect(output.metadata.embedderId).toBe('unknown');
    expect(output.annotations.every((item) => item.isNoise === false)).toBe(true);
  });
});

describe('formatAnnotations', () => {
  it('dispatches on the format', () => {
    const output = seedExample();
    expect(formatAnnotations(output, 'chess', { showChunks: true })).toBe(formatChess(output, { showChunks: true }));
    expect(formatAnnotations(output, 'compact')).toBe(formatCompact(output));
    expect(JSON.parse(formatAnnotations(output, 'json'))).toEqual(annotatedOutputToJson(output));
    expect(formatAnnotations(output, 'json', { indent: 0 })).not.toContain('\n');
    expect(() => formatAnnotations(output, 'html' as never)).toThrow(/unknown annotation format "html"/);
  });
});
