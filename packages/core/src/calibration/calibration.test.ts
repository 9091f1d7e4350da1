import { readFileSync, writeFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { InvalidIndexError } from '../errors.js';
import { loadCorpusIndex } from '../index-format/load-corpus-index.js';
import { buildCorpusIndex } from '../pipeline/build-corpus-index.js';
import { createMockClusterer, createMockEmbedder, createMockNamer } from '../test/index.js';
import { calibrateCorpusIndex } from './calibrate-corpus-index.js';
import { calibrationFromSamples, confidenceFromInDistribution, inDistribution } from './calibration.js';
import type { EvidenceFeatures } from './measure-evidence.js';

const work = mkdtempSync(join(tmpdir(), 'cp-calibration-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

const topics = {
  birds: 'sparrow robin wing feather nest beak flight song egg heron marsh',
  bread: 'flour dough yeast oven bake crust loaf knead butter sugar salt',
  law: 'court judge lawyer trial verdict statute appeal jury contract witness',
};

function writeCorpus(perTopic: number): string {
  const lines: string[] = [];
  for (const [topic, list] of Object.entries(topics)) {
    const vocabulary = list.split(' ');
    for (let n = 0; n < perTopic; n++) {
      const sentence = (offset: number) => Array.from({ length: 7 }, (_, w) => vocabulary[(n * 5 + w * 3 + offset) % vocabulary.length]).join(' ');
      lines.push(JSON.stringify({ text: `The ${topic} ${sentence(0)}. Then ${sentence(4)} again.` }));
    }
  }
  const file = join(work, `corpus-${perTopic}.jsonl`);
  writeFileSync(file, lines.join('\n') + '\n');
  return file;
}

const build = (file: string, output: string, warnings: string[] = []) =>
  buildCorpusIndex({ inputs: [{ path: file, stage: 'pretrain' }], output, embedder: createMockEmbedder(), clusterer: createMockClusterer(), namer: createMockNamer(), onWarning: (m) => warnings.push(m) });

function features(similarity: number, languageModel = -2, lexicalScore = 0.3): EvidenceFeatures {
  return { words: 8, tokenCoverage: 1, languageModel, lexicalScore, lexicalChunk: 0, similarity, noEvidence: false };
}

describe('calibration', () => {
  it('gives an in_distribution that never rises as the distance grows (other evidence fixed), and 0 with no evidence', () => {
    const samples = Array.from({ length: 200 }, (_, i) => features(((i * 37) % 200) / 200, -1 - ((i * 11) % 50) / 25, ((i * 7) % 100) / 100));
    const calibration = calibrationFromSamples(samples, { method: 'held-out-sentences', seed: 1, lexicalCandidates: 50 });
    let previous = Infinity;
    let changes = 0;
    for (let distance = 0; distance <= 1.0001; distance += 0.01) {
      const value = inDistribution(calibration, features(1 - distance));
      expect(value).toBeGreaterThanOrEqual(0);
      expect(value).toBeLessThanOrEqual(1);
      expect(value).toBeLessThanOrEqual(previous);
      if (value < previous) changes++;
      previous = value;
    }
    expect(changes).toBeGreaterThan(10);
    expect(inDistribution(calibration, { ...features(1), noEvidence: true })).toBe(0);
    expect(confidenceFromInDistribution(0.5)).toBe('HIGH');
    expect(confidenceFromInDistribution(0.1)).toBe('MEDIUM');
    expect(confidenceFromInDistribution(0.01)).toBe('LOW');
    expect(confidenceFromInDistribution(null)).toBe('NO_EVIDENCE');
  });

  it('is written with every index, listed in the manifest, loaded back, and a tampered file is named', async () => {
    const output = join(work, 'index');
    const { index } = await build(writeCorpus(40), output);
    expect(index.calibration?.method).toBe('held-out-sentences');
    const manifest = JSON.parse(readFileSync(join(output, 'manifest.json'), 'utf8'));
    for (const file of ['calibration.json', 'lexical.json', 'lexical-lm.bin']) expect(manifest.files[file].sha256).toMatch(/^[0-9a-f]{64}$/);
    const loaded = await loadCorpusIndex(output);
    expect(loaded.calibration).toEqual(index.calibration);
    expect(loaded.calibration!.samples).toBe(120);
    expect(loaded.lexical!.documentFrequency.get('sparrow')).toBe(index.lexical!.documentFrequency.get('sparrow'));
    // Held-out corpus text lands all over [0, 1]: its own scores are the reference.
    const own = loaded.calibration!.fused.map((_, i, all) => (i + 1) / all.length);
    expect(own.at(-1)).toBe(1);

    const path = join(output, 'calibration.json');
    const text = readFileSync(path, 'utf8');
    writeFileSync(path, text.replace('"seed": 42', '"seed": 43'));
    const error = await loadCorpusIndex(output).catch((e: unknown) => e);
    expect(InvalidIndexError.isInstance(error)).toBe(true);
    expect((error as InvalidIndexError).file).toBe('calibration.json');
    expect((error as Error).message).toMatch(/calibration\.json.*checksum mismatch/);
  });

  it('adds calibration to an index written without it, atomically updating the manifest', async () => {
    const output = join(work, 'old-index');
    await build(writeCorpus(30), output);
    // What an index written before calibration looks like: no files, no manifest entries.
    const manifestPath = join(output, 'manifest.json');
    const manifest = JSON.parse(readFileSync(manifestPath, 'utf8'));
    for (const file of ['calibration.json', 'lexical.json', 'lexical-lm.bin']) {
      delete manifest.files[file];
      rmSync(join(output, file));
    }
    writeFileSync(manifestPath, JSON.stringify(manifest, null, 2));
    const old = await loadCorpusIndex(output);
    expect(old.calibration).toBeUndefined();
    expect(old.lexical).toBeUndefined();
    const result = await calibrateCorpusIndex(old, { embedder: createMockEmbedder() });
    expect(result.calibration?.samples).toBe(90);
    const fresh = await loadCorpusIndex(output);
    expect(fresh.calibration).toEqual(result.calibration);
    expect(Object.keys(fresh.manifest.files)).toEqual(expect.arrayContaining(['calibration.json', 'lexical.json', 'lexical-lm.bin', 'embeddings.npy']));
  });

  it('still builds an index from a corpus too small to calibrate, and says why', async () => {
    const warnings: string[] = [];
    const output = join(work, 'small-index');
    const { index } = await build(writeCorpus(5), output, warnings);
    expect(index.calibration).toBeUndefined();
    expect(warnings.join('\n')).toMatch(/no calibration\.json: the corpus has 15 chunks; calibration needs at least 50/);
    const loaded = await loadCorpusIndex(output);
    expect(loaded.calibration).toBeUndefined();
    expect(loaded.lexical).toBeDefined();
  });
});
