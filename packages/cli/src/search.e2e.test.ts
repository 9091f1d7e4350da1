import { copyFileSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sha256File } from '@corpus-proximity/core/internal';
// @ts-expect-error plain ESM module without types
import { wordNetSlice } from '../../../examples/wordnet/wordnet-corpus.mjs';
import { OUTPUT_LOCK_FILE } from './output-lock.js';
import { runCli } from './test-support/run-cli.js';

const work = mkdtempSync(join(tmpdir(), 'cp-search-e2e-'));
const index = join(work, 'index');
const outputs = join(work, 'outputs.jsonl');

beforeAll(async () => {
  const { corpus } = wordNetSlice({ size: 600, seed: 3 }) as { corpus: Array<Record<string, unknown>> };
  const corpusFile = join(work, 'wordnet.jsonl');
  writeFileSync(corpusFile, corpus.map((record) => JSON.stringify(record)).join('\n') + '\n');
  const config = join(work, 'config.json');
  writeFileSync(config, JSON.stringify({ dimensions: 48, clustering: { maxDepth: 1 }, umap: { nComponents: 5 } }));
  const result = await runCli(['index', corpusFile, '--output', index, '--config', config, '--search-index', 'never', '--yes', '--quiet']);
  expect(result.stderr).toContain('index written');
  expect(result.code).toBe(0);
  writeFileSync(outputs, [JSON.stringify({ output: 'A sparrow is a small bird. It eats seeds and insects.' }), JSON.stringify({ output: 'Anger is a strong feeling.' })].join('\n'));
}, 600_000);

afterAll(() => rmSync(work, { recursive: true, force: true }));

const annotate = (search: string) => runCli(['annotate', outputs, '--index', index, '--format', 'json', '--search', search, '--yes', '--quiet']);

describe('approximate search through the CLI', () => {
  it('refuses --search ann before build-search, naming the file and the command', async () => {
    const result = await annotate('ann');
    expect(result.code).toBe(1);
    expect(result.stderr).toContain(`error: ${join(index, 'search.usearch')}: this index has no approximate search index`);
    expect(result.stderr).toContain(`corpus-proximity build-search --index ${index}`);
    expect(result.stderr).not.toMatch(/\n\s+at /);
    const bad = await annotate('fast');
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('--search fast: expected exact, ann or auto');
  });

  it('refuses build-search while another run holds the index folder, leaving the index as it was', async () => {
    const lock = join(index, OUTPUT_LOCK_FILE);
    const manifestBefore = readFileSync(join(index, 'manifest.json'), 'utf8');
    // This test process is alive, so its lock is not stale.
    writeFileSync(lock, JSON.stringify({ pid: process.pid, host: hostname(), started_at: '2026-12-01T00:00:00.000Z', command: 'corpus-proximity build-search --index other' }));
    try {
      const result = await runCli(['build-search', '--index', index, '--quiet']);
      expect(result.code).toBe(1);
      expect(result.stderr).toContain(`pid ${process.pid}`);
      expect(result.stderr).toContain(index);
      expect(result.stderr).not.toMatch(/\n\s+at /);
      expect(readFileSync(join(index, 'manifest.json'), 'utf8')).toBe(manifestBefore);
      expect(existsSync(join(index, 'search.usearch'))).toBe(false);
    } finally {
      rmSync(lock, { force: true });
    }
  });

  it('build-search adds a checksummed search index, and --search ann annotates as exact search does', async () => {
    // --ef-search ≥ the 600 vectors makes the graph search exhaustive, and a graph this small is built on one thread, so the
    // same each run (with all cores, usearch built a different graph each time and this comparison failed once in about 20 runs).
    const built = await runCli(['build-search', '--index', index, '--recall-queries', '100', '--ef-search', '1024']);
    expect(built.code).toBe(0);
    expect(built.stderr).toMatch(/search index written to .*search\.usearch: 600 vectors × 48 \(i8\), [\d.]+ MiB, recall@10 [\d.]+ against exact search \(100 sample queries\)/);
    expect(built.stderr).toContain('[search]');
    const manifest = JSON.parse(readFileSync(join(index, 'manifest.json'), 'utf8'));
    expect(manifest.files['search.usearch']).toEqual(await sha256File(join(index, 'search.usearch')));
    expect(manifest.search.recall_at_10).toBeGreaterThanOrEqual(0.95);
    expect(JSON.parse(readFileSync(join(index, 'stats.json'), 'utf8')).search.recall_at_10).toBe(manifest.search.recall_at_10);

    const exact = await annotate('exact');
    const ann = await annotate('ann');
    expect([exact.code, ann.code]).toEqual([0, 0]);
    const clusters = (stdout: string) => stdout.trim().split('\n').map((line) => JSON.parse(line).annotations.map((a: { cluster_id: string; distance: number }) => [a.cluster_id, a.distance]));
    // 600 chunks searched exhaustively (ef 1024), k = 3 clusters from 60 candidates: re-ranking gives the exact distances.
    expect(clusters(ann.stdout)).toEqual(clusters(exact.stdout));
    expect(clusters(ann.stdout).flat().length).toBeGreaterThan(0);
  });

  it('says which check failed for a tampered or stale search index', async () => {
    const path = join(index, 'search.usearch');
    const saved = join(work, 'saved.usearch');
    const manifestPath = join(index, 'manifest.json');
    const manifestText = readFileSync(manifestPath, 'utf8');
    copyFileSync(path, saved);
    try {
      const bytes = readFileSync(path);
      bytes[bytes.length - 3] = bytes[bytes.length - 3]! ^ 0xff;
      writeFileSync(path, bytes);
      const tampered = await annotate('ann');
      expect(tampered.code).toBe(1);
      expect(tampered.stderr).toContain(`error: ${path}: checksum mismatch`);
      expect(tampered.stderr).toContain('build-search');
      // Exact search never reads the search file.
      expect((await annotate('exact')).code).toBe(0);
      rmSync(path);
      const missing = await annotate('ann');
      expect(missing.code).toBe(1);
      expect(missing.stderr).toContain(`error: ${path}: missing (listed in manifest.json). Rebuild it with \`corpus-proximity build-search --index ${index}\``);
      copyFileSync(saved, path);

      const manifest = JSON.parse(manifestText);
      writeFileSync(manifestPath, JSON.stringify({ ...manifest, search: { ...manifest.search, dimension: 64 } }));
      const stale = await annotate('ann');
      expect(stale.code).toBe(1);
      expect(stale.stderr).toContain(`${path}: was built for 600 vectors of dimension 64, but the index has 600 chunks of dimension 48`);
      writeFileSync(manifestPath, JSON.stringify({ ...manifest, search: { ...manifest.search, embeddings_sha256: 'f'.repeat(64) } }));
      expect((await annotate('ann')).stderr).toContain('was built from other embeddings');
    } finally {
      copyFileSync(saved, path);
      writeFileSync(manifestPath, manifestText);
    }
    const missingIndex = await runCli(['build-search', '--index', join(work, 'nowhere')]);
    expect(missingIndex.code).toBe(1);
    expect(missingIndex.stderr).toContain('no such index folder');
  });
});
