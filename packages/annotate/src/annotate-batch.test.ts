import { AbortedError, EmbedderMismatchError, InvalidIndexError, InvalidInputError, PluginError, type CorpusIndex, type ProgressEvent } from '@corpus-proximity/core';
import { describe, expect, it } from 'vitest';
import { annotateBatch } from './annotate-batch.js';
import { annotateText } from './annotate-text.js';
import { bagOfWords, createFixtureIndex, createMockEmbedder, FIXTURE_CHUNKS } from './test-fixture.js';

/** The k nearest distinct clusters of a text by brute force over every chunk, for comparison. */
function bruteForce(index: CorpusIndex, text: string, k: number): Array<{ clusterId: string; idx: number; distance: number }> {
  const query = bagOfWords(text);
  const best = new Map<string, { clusterId: string; idx: number; distance: number }>();
  FIXTURE_CHUNKS.forEach((chunk, idx) => {
    let similarity = 0;
    for (let d = 0; d < index.dimension; d++) similarity += query[d]! * index.embeddings[idx * index.dimension + d]!;
    const distance = 1 - similarity;
    const current = best.get(chunk.cluster);
    if (!current || distance < current.distance) best.set(chunk.cluster, { clusterId: chunk.cluster, idx, distance });
  });
  return [...best.values()].sort((a, b) => a.distance - b.distance).slice(0, k);
}

describe('annotateText', () => {
  const index = createFixtureIndex();

  it('gives a sentence identical to a corpus chunk distance 0 to that chunk, with every field filled', async () => {
    const output = await annotateText(index, createMockEmbedder(), FIXTURE_CHUNKS[0]!.text, { k: 3, prompt: 'What is the derivative?' });
    const first = output.annotations[0]!;
    expect(first.distance).toBeCloseTo(0, 6);
    expect(first).toMatchObject({
      textSpan: FIXTURE_CHUNKS[0]!.text,
      charStart: 0,
      charEnd: FIXTURE_CHUNKS[0]!.text.length,
      sentenceIndex: 0,
      clusterId: '0.0.0',
      clusterName: 'Calculus',
      clusterDepth: 2,
      clusterPath: ['Mathematics', 'Calculus'],
      rank: 1,
      corpusStage: 'pretrain',
      nearestChunkIdx: 0,
      nearestChunkText: FIXTURE_CHUNKS[0]!.text,
      isNoise: false,
    });
    expect(output.prompt).toBe('What is the derivative?');
    expect(output.metadata).toMatchObject({ corpusIndexPath: '/tmp/fixture-index', k: 3, phraseLevel: true, embedderId: 'mock:bag-of-words' });
    expect(new Date(output.metadata.timestamp).toISOString()).toBe(output.metadata.timestamp);
  });

  it('ranks k distinct clusters per sentence by their nearest chunk, as brute force does', async () => {
    const text = 'The derivative of a polynomial follows the power rule. Simmer the soup with garlic and onions!\n\nKnead the dough, then bake.';
    const output = await annotateText(index, createMockEmbedder(), text, { k: 3 });
    const sentences = [...new Set(output.annotations.map((annotation) => annotation.sentenceIndex))];
    expect(sentences).toEqual([0, 1, 2]);
    for (const sentence of sentences) {
      const group = output.annotations.filter((annotation) => annotation.sentenceIndex === sentence);
      const span = group[0]!;
      expect(text.slice(span.charStart, span.charEnd)).toBe(span.textSpan);
      expect(group.map((annotation) => annotation.rank)).toEqual([1, 2, 3]);
      expect(new Set(group.map((annotation) => annotation.clusterId)).size).toBe(3);
      for (let i = 1; i < group.length; i++) expect(group[i]!.distance).toBeGreaterThanOrEqual(group[i - 1]!.distance);
      const expected = bruteForce(index, span.textSpan, 3);
      expect(group.map((annotation) => annotation.clusterId)).toEqual(expected.map((hit) => hit.clusterId));
      expect(group.map((annotation) => annotation.nearestChunkIdx)).toEqual(expected.map((hit) => hit.idx));
      group.forEach((annotation, i) => expect(annotation.distance).toBeCloseTo(expected[i]!.distance, 5));
    }
    const tops = sentences.map((sentence) => output.annotations.find((annotation) => annotation.sentenceIndex === sentence && annotation.rank === 1)!);
    expect(tops.map((annotation) => annotation.clusterName)).toEqual(['Calculus', 'Soups', 'Baking']);
  });

  it('marks noise chunks, which belong to the node that called them noise', async () => {
    const output = await annotateText(index, createMockEmbedder(), FIXTURE_CHUNKS[5]!.text, { k: 1 });
    expect(output.annotations).toHaveLength(1);
    expect(output.annotations[0]).toMatchObject({ clusterId: '0.0', clusterName: 'Mathematics', clusterDepth: 1, clusterPath: ['Mathematics'], isNoise: true, nearestChunkIdx: 5 });
  });

  it('passes over chunks left as noise at the root, which belong to no cluster', async () => {
    // Reassign the Mathematics noise chunk to the root: it is still the nearest chunk, but no cluster.
    const rootNoise = createFixtureIndex();
    rootNoise.assignment.clusters[5] = '0';
    const output = await annotateText(rootNoise, createMockEmbedder(), FIXTURE_CHUNKS[5]!.text, { k: 2 });
    expect(output.annotations.map((annotation) => annotation.clusterId)).not.toContain('0');
    expect(output.annotations[0]!.nearestChunkIdx).not.toBe(5);
    expect(output.annotations).toHaveLength(2);
    // With an unsplit tree the root is the only cluster, and annotations use it.
    const unsplit = createFixtureIndex();
    unsplit.tree.children = [];
    unsplit.assignment.clusters.fill('0');
    const flat = await annotateText(unsplit, createMockEmbedder(), FIXTURE_CHUNKS[5]!.text, { k: 2 });
    expect(flat.annotations.map((annotation) => annotation.clusterId)).toEqual(['0']);
    expect(flat.annotations[0]!.nearestChunkIdx).toBe(5);
  });

  it('keeps the first 200 characters of the nearest chunk', async () => {
    const output = await annotateText(index, createMockEmbedder(), FIXTURE_CHUNKS[9]!.text, { k: 1 });
    expect(output.annotations[0]!.nearestChunkIdx).toBe(9);
    expect(output.annotations[0]!.nearestChunkText).toBe(FIXTURE_CHUNKS[9]!.text.slice(0, 200));
    expect(output.annotations[0]!.nearestChunkText).toHaveLength(200);
  });

  it('annotates the whole text as one span when phraseLevel is false', async () => {
    const text = '  Bake the bread. Simmer the soup.  ';
    const output = await annotateText(index, createMockEmbedder(), text, { k: 2, phraseLevel: false });
    expect(output.annotations.map((annotation) => [annotation.sentenceIndex, annotation.rank, annotation.charStart, annotation.charEnd])).toEqual([
      [0, 1, 2, 34],
      [0, 2, 2, 34],
    ]);
    expect(output.annotations[0]!.textSpan).toBe('Bake the bread. Simmer the soup.');
    expect(output.metadata.phraseLevel).toBe(false);
  });

  it('returns every cluster when k exceeds their number, and searches further when candidates are too few', async () => {
    const all = await annotateText(index, createMockEmbedder(), 'the derivative', { k: 10 });
    expect(all.annotations.map((annotation) => annotation.rank)).toEqual([1, 2, 3, 4, 5]);
    expect(new Set(all.annotations.map((annotation) => annotation.clusterId))).toEqual(new Set(['0.0.0', '0.0.1', '0.0', '0.1.0', '0.1.1']));
    const narrow = await annotateText(index, createMockEmbedder(), 'the derivative', { k: 3, candidates: 1 });
    expect(narrow.annotations.map((annotation) => annotation.clusterId)).toEqual(all.annotations.slice(0, 3).map((annotation) => annotation.clusterId));
  });

  it('returns no annotations for blank text without calling the embedder', async () => {
    const embedder = createMockEmbedder();
    const output = await annotateText(index, embedder, '   \n ');
    expect(output.annotations).toEqual([]);
    expect(embedder.calls).toEqual([]);
  });

  it('refuses an embedder that does not match the index', async () => {
    await expect(annotateText(index, createMockEmbedder({ dimensions: 64 }), 'x')).rejects.toThrow(/the dimensions differ/);
    const error = await annotateText(index, createMockEmbedder({ provider: 'onnx', modelId: 'arctic' }), 'x').catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(EmbedderMismatchError);
    expect((error as Error).message).toContain('built with mock:bag-of-words (128 dimensions)');
    expect((error as Error).message).toContain('embedded with onnx:arctic (128 dimensions); the model differs');
  });

  it('rejects bad options and a broken embedder with typed errors', async () => {
    await expect(annotateText(index, createMockEmbedder(), 'x', { k: 0 })).rejects.toThrow(InvalidInputError);
    await expect(annotateText(index, createMockEmbedder(), 'x', { candidates: 2.5 })).rejects.toThrow(InvalidInputError);
    const broken = { ...createMockEmbedder(), doEmbed: async () => ({ embeddings: [] }) };
    await expect(annotateText(index, broken, 'Some text.')).rejects.toThrow(PluginError);
    const short = { ...createMockEmbedder(), doEmbed: async () => ({ embeddings: [new Float32Array(3)] }) };
    await expect(annotateText(index, short, 'Some text.')).rejects.toThrow(/3 dimensions/);
  });

  it('reports a chunk assigned to a cluster missing from the tree as an invalid index', async () => {
    const broken = createFixtureIndex();
    broken.assignment.clusters[0] = '0.9';
    await expect(annotateText(broken, createMockEmbedder(), FIXTURE_CHUNKS[0]!.text)).rejects.toThrow(InvalidIndexError);
  });
});

describe('annotateBatch', () => {
  const index = createFixtureIndex();
  const items = [
    'The derivative of x squared is two x. Factor the quadratic polynomial.',
    { text: 'Bake the bread in a hot oven. The derivative of x squared is two x.', prompt: 'Mixed' },
    '',
    'Simmer the soup. Solve the linear equation. Knead the dough. Integrals compute areas.',
  ];

  it('embeds every distinct sentence of every item once, as queries, in calls of at most maxEmbeddingsPerCall', async () => {
    const embedder = createMockEmbedder({ maxEmbeddingsPerCall: 3 });
    const events: ProgressEvent[] = [];
    const outputs = await annotateBatch(index, embedder, items, { k: 2, onProgress: (event) => events.push(event) });
    expect(outputs).toHaveLength(4);
    const embedded = embedder.calls.flatMap((call) => call.values);
    expect(embedded).toHaveLength(7);
    expect(new Set(embedded).size).toBe(7);
    expect(embedder.calls.map((call) => call.values.length)).toEqual([3, 3, 1]);
    expect(embedder.calls.every((call) => call.inputType === 'query')).toBe(true);
    expect(events.map((event) => [event.stage, event.done, event.total])).toEqual([
      ['embed', 3, 7],
      ['embed', 6, 7],
      ['embed', 7, 7],
      ['search', 7, 7],
      ['annotate', 1, 4],
      ['annotate', 2, 4],
      ['annotate', 3, 4],
      ['annotate', 4, 4],
    ]);
    expect(outputs[1]!.prompt).toBe('Mixed');
    expect(outputs[0]!.prompt).toBeNull();
    expect(outputs[2]!.annotations).toEqual([]);
  });

  it('gives each item the same annotations annotateText gives it alone', async () => {
    const outputs = await annotateBatch(index, createMockEmbedder(), items, { k: 3, batchSize: 2 });
    for (const [position, item] of items.entries()) {
      const text = typeof item === 'string' ? item : item.text;
      const alone = await annotateText(index, createMockEmbedder(), text, { k: 3 });
      expect(outputs[position]!.text).toBe(text);
      expect(outputs[position]!.annotations).toEqual(alone.annotations);
    }
  });

  it('honours a smaller batchSize and an abort signal', async () => {
    const embedder = createMockEmbedder();
    await annotateBatch(index, embedder, items, { batchSize: 2 });
    expect(embedder.calls.map((call) => call.values.length)).toEqual([2, 2, 2, 1]);
    const controller = new AbortController();
    controller.abort();
    await expect(annotateBatch(index, createMockEmbedder(), items, { abortSignal: controller.signal })).rejects.toThrow(AbortedError);
    // Aborting during the embedding stops the search that follows.
    const late = new AbortController();
    const aborting = { ...createMockEmbedder(), doEmbed: async (call: { values: string[] }) => { late.abort(); return { embeddings: call.values.map((value) => bagOfWords(value)) }; } };
    await expect(annotateBatch(index, aborting, items, { abortSignal: late.signal })).rejects.toThrow(/while searching the index/);
  });

  it('searches a large batch in blocks of 256 sentences, with progress after each, and the same answers as one by one', async () => {
    const words = ['derivative', 'polynomial', 'oven', 'dough', 'soup', 'garlic', 'integrals', 'equation', 'bread', 'stock', 'onions', 'curve', 'linear', 'golden', 'broth', 'area', 'season', 'simmer', 'power', 'factor'];
    // 600 distinct sentences, 10 per item.
    const many = Array.from({ length: 60 }, (_, item) =>
      Array.from({ length: 10 }, (_, s) => `Sentence ${item}-${s} about ${words[(item + s) % words.length]} and ${words[(item * 3 + s * 7) % words.length]}.`).join(' '),
    );
    const events: ProgressEvent[] = [];
    const outputs = await annotateBatch(index, createMockEmbedder(), many, { k: 2, onProgress: (event) => events.push(event) });
    expect(events.filter((event) => event.stage === 'search').map((event) => [event.done, event.total])).toEqual([
      [256, 600],
      [512, 600],
      [600, 600],
    ]);
    for (const position of [0, 29, 59]) {
      expect(outputs[position]!.annotations).toEqual((await annotateText(index, createMockEmbedder(), many[position]!, { k: 2 })).annotations);
    }
  });

  it('rejects an item that is neither a string nor { text }', async () => {
    await expect(annotateBatch(index, createMockEmbedder(), [{ prompt: 'p' } as never])).rejects.toThrow(/item 0 to annotate/);
  });
});
