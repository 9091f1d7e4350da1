import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { InvalidInputError, loadCorpusIndex, type ClusterNode, type IndexManifest } from '@corpus-proximity/core';
import { testClusterer, testEmbedder, testNamer } from '@corpus-proximity/core/test';
import { embedderFromManifest } from '@corpus-proximity/embedders';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { main as annotateInEvalHarness } from './annotate-in-eval-harness.js';
import { main as buildIndex, type BuildIndexExampleResult } from './build-index.js';
import { createPlainHdbscanClusterer, main as customClusterer } from './custom-clusterer.js';
import { createIdfTrigramEmbedder, createTrigramEmbedder, main as customEmbedder } from './custom-embedder.js';
import { createFrequentWordsNamer, main as customNamer } from './custom-namer.js';

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
