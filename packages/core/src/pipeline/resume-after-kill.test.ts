import { execFileSync, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, truncateSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createMockClusterer, createMockEmbedder, createMockNamer } from '../test/index.js';
import { BUILD_LOG_FILE, buildCorpusIndex } from './build-corpus-index.js';

const work = mkdtempSync(join(tmpdir(), 'cp-resume-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));
const createdAt = '2026-01-01T00:00:00.000Z';
const checkpointEvery = 40;
let corpus: string;
let child: string;
let baseline: string;

// 240 chunks of three topics; 40 rows per shard gives 6 shards.
function writeCorpus(): string {
  const words = ['sparrow robin wing feather nest beak', 'flour dough yeast oven bake crust', 'court judge lawyer trial verdict statute'];
  const lines = Array.from({ length: 240 }, (_, i) => {
    const vocabulary = words[i % 3]!.split(' ');
    return JSON.stringify({ text: Array.from({ length: 5 }, (_, w) => vocabulary[(i * 5 + w * 7) % vocabulary.length]).join(' ') + ` ${i % 17}`, id: i });
  });
  const file = join(work, 'corpus.jsonl');
  writeFileSync(file, `${lines.join('\n')}\n`);
  return file;
}

function build(output: string, onWarning?: (message: string) => void) {
  return buildCorpusIndex({
    inputs: [{ path: corpus, stage: 'sft' }],
    output,
    embedder: createMockEmbedder({ dimensions: 16 }),
    clusterer: createMockClusterer(),
    namer: createMockNamer(),
    checkpointEvery,
    createdAt,
    onWarning,
  });
}

// Runs the child until it reports the kill point, then SIGKILLs it.
async function buildUntilKilled(output: string, killAt: string): Promise<void> {
  const process = spawn('node', [child, JSON.stringify({ corpus, output, checkpointEvery, createdAt, killAt })], { stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  process.stderr.on('data', (data: Buffer) => (stderr += data.toString()));
  process.stdout.on('data', (data: Buffer) => {
    stdout += data.toString();
    if (stdout.includes('KILLME')) process.kill('SIGKILL');
  });
  const [code, signal] = await new Promise<[number | null, NodeJS.Signals | null]>((resolve) => process.on('exit', (...result) => resolve(result)));
  expect({ code, signal, stdout, stderr }).toMatchObject({ code: null, signal: 'SIGKILL' });
}

function indexFiles(directory: string): Map<string, Buffer> {
  const files = new Map<string, Buffer>();
  const walk = (folder: string) => {
    for (const entry of readdirSync(folder, { withFileTypes: true })) {
      const path = join(folder, entry.name);
      if (entry.isDirectory()) {
        if (entry.name !== '.work') walk(path);
      } else if (entry.name !== BUILD_LOG_FILE) files.set(relative(directory, path), readFileSync(path));
    }
  };
  walk(directory);
  return files;
}

function expectIdenticalToBaseline(output: string): void {
  const expected = indexFiles(baseline);
  const actual = indexFiles(output);
  expect([...actual.keys()].sort()).toEqual([...expected.keys()].sort());
  for (const [name, bytes] of expected) expect(actual.get(name)!.equals(bytes), `${name} differs`).toBe(true);
}

beforeAll(async () => {
  corpus = writeCorpus();
  const root = fileURLToPath(new URL('../../../../', import.meta.url));
  child = join(work, 'kill-build-child.mjs');
  execFileSync(join(root, 'node_modules/.bin/esbuild'), [fileURLToPath(new URL('./fixtures/kill-build-child.ts', import.meta.url)), '--bundle', '--platform=node', '--format=esm', `--outfile=${child}`, '--log-level=warning']);
  baseline = join(work, 'baseline');
  await build(baseline);
});

describe('buildCorpusIndex after SIGKILL', () => {
  it.each(['after-shard:1', 'mid-shard:2', 'mid-progress:2', 'after-shard:3', 'cluster', 'mid-write:2', 'mid-write:6'])(
    'resumes after a kill at %s and writes an index byte-identical to an uninterrupted run',
    async (killAt) => {
      const output = join(work, killAt.replace(':', '-'));
      await buildUntilKilled(output, killAt);
      expect(existsSync(join(output, 'manifest.json'))).toBe(false);
      const progress = JSON.parse(readFileSync(join(output, '.work', 'progress.json'), 'utf8'));
      if (killAt.includes('shard') || killAt.includes('progress')) expect(progress.shards).toHaveLength(Number(killAt.split(':')[1]));
      else expect(progress.rows_done).toBe(240);
      const warnings: string[] = [];
      const { log, stats } = await build(output, (message) => warnings.push(message));
      expect(warnings).toEqual([]);
      expect(log.embedding.resumed_from_checkpoint).toBe(progress.rows_done);
      expect(log.embedding.embedded + log.embedding.resumed_from_checkpoint).toBeGreaterThanOrEqual(240);
      expect(stats.embedding).toEqual({ embedded: 240, reused_from_cache: 0 });
      expectIdenticalToBaseline(output);
      // The checkpoint, any half-written temporary file and the default cache are gone once the index is written.
      expect(existsSync(join(output, '.work'))).toBe(false);
    },
  );

  it('discards a truncated last shard with a warning and re-embeds its rows', async () => {
    const output = join(work, 'truncated');
    await buildUntilKilled(output, 'after-shard:3');
    const shard = join(output, '.work', 'embeddings', 'shard_00002.npy');
    truncateSync(shard, 300);
    const warnings: string[] = [];
    const { log } = await build(output, (message) => warnings.push(message));
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toMatch(/shard_00002\.npy \(rows 80–119\) is 300 bytes.*re-embedding from row 80/);
    expect(log.embedding.resumed_from_checkpoint).toBe(80);
    expectIdenticalToBaseline(output);
  });
});
