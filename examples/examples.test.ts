import { execFileSync } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { InvalidInputError, loadCorpusIndex, type ClusterNode, type IndexManifest } from '@corpus-proximity/core';
import { testClusterer, testEmbedder, testNamer } from '@corpus-proximity/core/test';
import { annotateBatch, annotateText, openIndex } from '@corpus-proximity/annotate';
import { embedderFromManifest, registerEmbedder } from '@corpus-proximity/embedders';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { main as annotateInEvalHarness } from './annotate-in-eval-harness.js';
import { main as buildIndex, type BuildIndexExampleResult } from './build-index.js';
import { createPlainHdbscanClusterer, main as customClusterer } from './custom-clusterer.js';
import { createIdfTrigramEmbedder, createTrigramEmbedder, main as customEmbedder } from './custom-embedder.js';
import { createFrequentWordsNamer, main as customNamer } from './custom-namer.js';
import { chatLogprobs, main as openIndexExample } from './open-index.js';

let work: string;
let built: BuildIndexExampleResult;
const buildLog: string[] = [];

beforeAll(async () => {
  work = await mkdtemp(join(tmpdir(), 'corpus-proximity-examples-'));
  built = await buildIndex({ workDirectory: join(work, 'build'), log: (line) => buildLog.push(line) });
});
afterAll(async () => {
  await rm(work, { recursive: true, force: true });
});

describe('examples/build-index', () => {
  it('builds a two-stage index that loads and reports its progress', async () => {
    const index = await loadCorpusIndex(built.indexDirectory);
    expect(index.count).toBe(600);
    expect(index.manifest.embedder.provider).toBe('lsa');
    expect(index.dimension).toBe(128);
    const stages = index.metadata.map((row) => row.corpus_stage);
    expect(stages.filter((stage) => stage === 'pretrain')).toHaveLength(480);
    expect(stages.filter((stage) => stage === 'sft')).toHaveLength(120);
    // Document fields are carried into metadata.jsonl.
    expect(index.metadata.every((row) => typeof row.lexname === 'string')).toBe(true);
    // Every chunk sits in a node of the tree, and the topical corpus was split.
    for (const clusterId of index.assignment.clusters) expect(index.getNode(clusterId)).toBeDefined();
    expect(index.tree.children.length).toBeGreaterThanOrEqual(2);
    for (const stage of ['[read]', '[fit]', '[embed]', '[cluster]', '[name]', '[write]']) {
      expect(buildLog.some((line) => line.startsWith(stage))).toBe(true);
    }
    expect(buildLog.some((line) => line.includes(index.tree.children[0]!.name))).toBe(true);
  });
});

describe('examples/annotate-in-eval-harness', () => {
  it('annotates labelled outputs and tabulates errors per cluster', async () => {
    const lines: string[] = [];
    const result = await annotateInEvalHarness({ workDirectory: join(work, 'eval'), indexDirectory: built.indexDirectory, log: (line) => lines.push(line) });
    const index = built.index;
    expect(result.outputs).toHaveLength(60);
    expect(result.correct).toHaveLength(60);
    for (const output of result.outputs) {
      expect(output.metadata.k).toBe(3);
      expect(output.metadata.embedderId).toBe(index.manifest.embedder.id);
      const sentences = new Map<number, typeof output.annotations>();
      for (const annotation of output.annotations) {
        expect(output.text.slice(annotation.charStart, annotation.charEnd)).toBe(annotation.textSpan);
        // A sentence with no cluster (no corpus evidence, code or math) says so and names none.
        if (annotation.noEvidence) {
          expect([annotation.clusterId, annotation.nearestChunkIdx, annotation.rank]).toEqual(['', -1, 1]);
          continue;
        }
        expect(index.getNode(annotation.clusterId)?.name).toBe(annotation.clusterName);
        expect(annotation.clusterDepth).toBe(annotation.clusterId.split('.').length - 1);
        expect(annotation.distance).toBeGreaterThanOrEqual(0);
        expect(annotation.distance).toBeLessThanOrEqual(2);
        expect(index.chunks[annotation.nearestChunkIdx]!.startsWith(annotation.nearestChunkText)).toBe(true);
        expect(index.assignment.clusters[annotation.nearestChunkIdx]).toBe(annotation.clusterId);
        expect(annotation.isNoise).toBe(index.assignment.noise.includes(annotation.nearestChunkIdx));
        expect(['pretrain', 'sft']).toContain(annotation.corpusStage);
        sentences.set(annotation.sentenceIndex, [...(sentences.get(annotation.sentenceIndex) ?? []), annotation]);
      }
      // Every sentence is annotated: with clusters, or as having none ("I am fairly sure of this." is all stop words to LSA).
      expect(new Set(output.annotations.map((annotation) => annotation.sentenceIndex)).size).toBeGreaterThanOrEqual(2);
      for (const group of sentences.values()) {
        // Ranks 1..k of distinct clusters, best first (hybrid ranking: dense + lexical, so distances need not rise).
        expect(group.map((annotation) => annotation.rank)).toEqual([1, 2, 3].slice(0, group.length));
        expect(new Set(group.map((annotation) => annotation.clusterId)).size).toBe(group.length);
      }
    }
    // The per-cluster table accounts for every output and every error exactly once.
    const incorrect = result.correct.filter((correct, i) => !correct && result.outputs[i]!.annotations.some((annotation) => !annotation.noEvidence)).length;
    // Outputs with no clustered sentence are left out of the table (clusterContingency counts them as skipped).
    const clustered = result.outputs.filter((output) => output.annotations.some((annotation) => !annotation.noEvidence)).length;
    expect(clustered).toBeGreaterThanOrEqual(45);
    expect(result.table.reduce((sum, row) => sum + row.outputs, 0)).toBe(clustered);
    expect(result.table.reduce((sum, row) => sum + row.errors, 0)).toBe(incorrect);
    for (const row of result.table) {
      expect(row.errorRate).toBeCloseTo(row.errors / row.outputs, 12);
      expect(index.getNode(row.clusterId)).toBeDefined();
      expect(row.clusterId.split('.').length).toBeLessThanOrEqual(2);
    }
    expect(result.chiSquare.n).toBe(clustered);
    expect(result.chiSquare.pValue).toBeGreaterThanOrEqual(0);
    expect(result.chiSquare.pValue).toBeLessThanOrEqual(1);
    expect(result.cramersV).toBeGreaterThanOrEqual(0);
    expect(result.cramersV).toBeLessThanOrEqual(1);
    expect(result.worst.fisher.pValue).toBeGreaterThan(0);
    expect(result.worst.fisher.pValue).toBeLessThanOrEqual(1);
    expect(lines.some((line) => line.startsWith('χ² = '))).toBe(true);
    expect(lines.filter((line) => /^0(\.\d+)* +\d+ +\d+ +\d+%/.test(line))).toHaveLength(result.table.length);
  });
});

describe('examples/custom-embedder', () => {
  it('records the custom embedder in manifest.json and annotates with it', async () => {
    const result = await customEmbedder({ workDirectory: join(work, 'custom-embedder'), perTopic: 60, log: () => {} });
    const manifest = JSON.parse(await readFile(join(result.indexDirectory, 'manifest.json'), 'utf8')) as IndexManifest;
    expect(manifest.embedder).toMatchObject({ id: 'char-trigram:fnv1a-256', provider: 'char-trigram', model_id: 'fnv1a-256', dimensions: 256, state_files: [] });
    expect(manifest.dimension).toBe(256);
    expect(result.annotated.annotations.filter((annotation) => annotation.rank === 1)).toHaveLength(2);
    expect(result.annotated.metadata.embedderId).toBe('char-trigram:fnv1a-256');
    // Only built-in providers can be rebuilt from a manifest: the error says to pass your own.
    expect(() => embedderFromManifest({ ...result.index.embedder, settings: {} }, {})).toThrow(InvalidInputError);
    expect(() => embedderFromManifest({ ...result.index.embedder, settings: {} }, {})).toThrow(/unknown embedder provider "char-trigram"/);

    // The corpus-fitted variant: its state is in the index, and restoring it reproduces the corpus vectors.
    const fitted = result.fittedIndex;
    expect(fitted.manifest.embedder).toMatchObject({ provider: 'char-trigram-idf', settings: { dimensions: 256, format: 'idf-v1' }, state_files: ['embedder/idf.json'] });
    expect(Object.keys(fitted.embedder.state?.files ?? {})).toEqual(['idf.json']);
    const restored = createIdfTrigramEmbedder({ state: fitted.embedder.state });
    const rows = [0, 7, fitted.count - 1];
    const { embeddings } = await restored.doEmbed({ values: rows.map((row) => fitted.chunks[row]!), inputType: 'document' });
    rows.forEach((row, i) => {
      const stored = fitted.embeddings.subarray(row * 256, (row + 1) * 256);
      for (let d = 0; d < 256; d++) expect(embeddings[i]![d]).toBeCloseTo(stored[d]!, 6);
    });
    expect(result.fittedAnnotated.annotations[0]!.rank).toBe(1);
    expect(() => createIdfTrigramEmbedder({ state: { settings: { dimensions: 256 }, files: {} } })).toThrow(/lacks idf\.json/);
  });

  it('embeds similar spellings closer than different ones', async () => {
    const { embeddings } = await createTrigramEmbedder(256).doEmbed({ values: ['sparrows and finches', 'a sparrow, a finch', 'interest rates'], inputType: 'query' });
    const cosine = (a: Float32Array, b: Float32Array) => a.reduce((sum, value, i) => sum + value * b[i]!, 0);
    expect(cosine(embeddings[0]!, embeddings[1]!)).toBeGreaterThan(cosine(embeddings[0]!, embeddings[2]!) + 0.2);
  });
});

testEmbedder('examples/custom-embedder (char-trigram)', () => createTrigramEmbedder(64));
testEmbedder('examples/custom-embedder (char-trigram-idf, corpus-fitted)', () => createIdfTrigramEmbedder({ dimensions: 64 }));

describe('examples/custom-clusterer', () => {
  it('builds a tree with the custom clusterer under the recursion rules of core', async () => {
    const lines: string[] = [];
    const { index } = await customClusterer({ workDirectory: join(work, 'custom-clusterer'), log: (line) => lines.push(line) });
    expect(index.config.clusterer).toBe('plain-hdbscan');
    expect(index.dimension).toBe(8);
    expect(index.tree.children.length).toBeGreaterThanOrEqual(2);
    // Core's bookkeeping: sizes add up (children + noise kept at the node), every leaf says why it stopped.
    const check = (node: ClusterNode) => {
      if (node.children.length === 0) expect(['max-depth', 'too-small', 'coherent', 'no-clusters']).toContain(node.leaf_reason);
      else expect(node.children.reduce((sum, child) => sum + child.size, 0) + node.noise_count).toBe(node.size);
      node.children.forEach(check);
    };
    check(index.tree);
    expect(index.assignment.noise).toHaveLength(index.manifest.counts.noise);
    expect(lines).toHaveLength(index.manifest.counts.clusters);
  });
});

testClusterer('examples/custom-clusterer (plain-hdbscan)', () => createPlainHdbscanClusterer());

describe('examples/custom-namer', () => {
  it('names every cluster of a built index with the custom namer', async () => {
    const lines: string[] = [];
    const { index, nodes } = await customNamer({ workDirectory: join(work, 'custom-namer'), log: (line) => lines.push(line) });
    expect(nodes[0]).toBe(index.tree);
    expect(nodes.length).toBe(index.manifest.counts.clusters);
    expect(nodes.length).toBeGreaterThan(1);
    for (const node of nodes.slice(1)) {
      expect(node.naming).toBe('frequent-words');
      expect(node.name).toMatch(/^\p{Lu}\p{L}+ & \p{Lu}\p{L}+$/u);
      expect(node.description).toMatch(/most distinctive words/);
    }
    for (const node of nodes) expect(new Set(node.children.map((child) => child.name.toLowerCase())).size).toBe(node.children.length);
    expect(lines).toHaveLength(nodes.length);
  });
});

testNamer('examples/custom-namer (frequent-words)', () => createFrequentWordsNamer());

describe('examples/open-index (and the README\'s TypeScript example)', () => {
  it('runs the README\'s three lines verbatim against a built index', async () => {
    const readme = await readFile(new URL('../README.md', import.meta.url), 'utf8');
    const block = /## From TypeScript\s+```ts\n([\s\S]*?)```/.exec(readme)?.[1];
    expect(block).toBeDefined();
    expect(block!.trim().split('\n')).toHaveLength(3);
    expect(block).toContain("openIndex('my-index')");
    // Plain JavaScript as written: run it with node from examples/, where the workspace packages resolve.
    const script = join(fileURLToPath(new URL('.', import.meta.url)), `.readme-snippet-${process.pid}.mjs`);
    await writeFile(script, block!.replace("'my-index'", JSON.stringify(built.indexDirectory)));
    try {
      const stdout = execFileSync(process.execPath, [script], { encoding: 'utf8' });
      expect(stdout).toContain('Model Output:');
      expect(stdout).toContain('├─ "The derivative of x^2 is 2x."');
      expect(stdout).toContain('├─ "It is a rule of calculus."');
      // Each sentence gets its clusters, or says honestly why it has none; the output gets a calibrated verdict.
      expect(stdout).toMatch(/\[1\] .+ \(d=\d\.\d{3}, (pretrain|sft)\)|no cluster: |no corpus evidence/);
      expect(stdout).toMatch(/Mean in-distribution: \d+% .*\((HIGH|MEDIUM|LOW) confidence\)|NO_EVIDENCE/);
    } finally {
      await rm(script, { force: true });
    }
  });

  it('annotates one string, a batch with logprobs, searches and walks the tree', async () => {
    const lines: string[] = [];
    const result = await openIndexExample({ indexDirectory: built.indexDirectory, log: (line) => lines.push(line) });
    const index = built.index;
    // The restored embedder is the one the index was built with, state included.
    expect(result.opened.embedder.provider).toBe('lsa');
    expect(`${result.opened.embedder.provider}:${result.opened.embedder.modelId}`).toBe(index.manifest.embedder.id);
    expect(result.one.annotations.filter((a) => a.rank === 1)).toHaveLength(2);
    expect(result.one.annotations.every((a) => a.avgLogprob === undefined)).toBe(true);
    // Same answer as the lower-level path.
    const embedder = embedderFromManifest({ ...index.embedder, settings: index.manifest.embedder.settings }, index.embedder.state?.files ?? {});
    const direct = await annotateText(index, embedder, result.one.text);
    expect(result.one.annotations.map((a) => [a.clusterId, a.distance])).toEqual(direct.annotations.map((a) => [a.clusterId, a.distance]));
    // A list gives a list, in order, with k = 2.
    expect(result.batch.map((output) => output.text)).toEqual(['An apple is a fruit with red or green skin.', expect.stringMatching(/^A tomato/), 'Wine is made from grapes.']);
    for (const output of result.batch) expect(Math.max(...output.annotations.map((a) => a.rank))).toBe(2);
    // avg_logprob: the mean of the made-up logprobs of each sentence's words.
    const answer = result.batch[1]!;
    const content = chatLogprobs(answer.text).content;
    const firstSentenceWords = answer.annotations[0]!.textSpan.split(' ').length;
    const mean = (values: number[]) => values.reduce((s, v) => s + v, 0) / values.length;
    const bySentence = answer.annotations.filter((a) => a.rank === 1);
    expect(bySentence[0]!.avgLogprob).toBeCloseTo(mean(content.slice(0, firstSentenceWords).map((c) => c.logprob)), 12);
    expect(bySentence[1]!.avgLogprob).toBeCloseTo(mean(content.slice(firstSentenceWords).map((c) => c.logprob)), 12);
    expect(result.batch[2]!.annotations.every((a) => a.avgLogprob === undefined)).toBe(true);
    expect(result.warnings).toEqual([expect.stringMatching(/^item 2: logprobs ignored \(avg_logprob omitted\): the 5 tokens spell "Beer is made from barley\."/)]);
    // search: nearest first, each hit as stored in the index.
    expect(result.hits).toHaveLength(5);
    for (let i = 1; i < result.hits.length; i++) expect(result.hits[i]!.distance).toBeGreaterThanOrEqual(result.hits[i - 1]!.distance);
    for (const hit of result.hits) {
      expect(hit.text).toBe(index.chunks[hit.chunkIdx]);
      expect(hit.clusterId).toBe(index.assignment.clusters[hit.chunkIdx]);
      expect(hit.clusterName).toBe(index.getNode(hit.clusterId)!.name);
    }
    // cluster: the node, its path and neighbours.
    const node = index.getNode(result.cluster.clusterId)!;
    expect(result.cluster).toMatchObject({ name: node.name, depth: node.depth, size: node.size, childIds: node.children.map((child) => child.cluster_id) });
    expect(result.cluster.sampleTexts).toEqual(node.samples.map((idx) => index.chunks[idx]));
    expect(result.cluster.parentId).toBe(result.cluster.clusterId.split('.').slice(0, -1).join('.'));
    expect(result.opened.cluster('0').parentId).toBeNull();
    expect(() => result.opened.cluster('0.99')).toThrow(/cluster "0.99" is not in the tree/);
    await expect(result.opened.search('x', { k: 0 })).rejects.toThrow(/positive integer/);
    expect(lines.some((line) => line.startsWith('Model Output:') || line.includes('Model Output:'))).toBe(true);
  });

  it('annotates a large list in blocks, reporting progress over the whole list', async () => {
    const opened = await openIndex(built.indexDirectory);
    const texts = Array.from({ length: 300 }, (_, i) => `${built.index.chunks[i % built.index.count]} Number ${i}.`);
    const events: Array<{ stage: string; done: number; total?: number }> = [];
    const outputs = await opened.annotate(texts, { k: 1, onProgress: (event) => events.push(event) });
    expect(outputs.map((output) => output.text)).toEqual(texts);
    const annotate = events.filter((event) => event.stage === 'annotate');
    expect(annotate.map((event) => event.done)).toEqual(Array.from({ length: 300 }, (_, i) => i + 1));
    expect(new Set(annotate.map((event) => event.total))).toEqual(new Set([300]));
    expect(events.some((event) => event.stage === 'embed')).toBe(true);
    // The same annotations as one call over the whole list.
    const direct = await annotateBatch(opened.index, opened.embedder, texts, { k: 1 });
    expect(outputs.map((output) => output.annotations.map((a) => [a.clusterId, a.distance]))).toEqual(direct.map((output) => output.annotations.map((a) => [a.clusterId, a.distance])));
  });

  it('reopens an index built with a custom embedder once it is registered', async () => {
    const result = await customEmbedder({ workDirectory: join(work, 'custom-embedder-open'), perTopic: 30, log: () => {} });
    const directory = result.fittedIndex.directory;
    await expect(openIndex(directory)).rejects.toThrow(/unknown embedder provider "char-trigram-idf".*registerEmbedder/);
    registerEmbedder('char-trigram-idf', (_info, files) => createIdfTrigramEmbedder({ state: { settings: { dimensions: 256, format: 'idf-v1' }, files } }));
    const opened = await openIndex(directory);
    const output = await opened.annotate(result.fittedIndex.chunks[3]!);
    expect(output.annotations[0]!.distance).toBeLessThan(1e-6);
    expect(output.annotations[0]!.nearestChunkIdx).toBe(3);
  });
});
