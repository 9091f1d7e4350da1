import { execFileSync, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { nearestClusters } from '@corpus-proximity/annotate';
import { loadCorpusIndex, walkBreadthFirst, type ClusterNode } from '@corpus-proximity/core';
// @ts-expect-error plain ESM module without types
import { wordNetSlice } from '../../../examples/wordnet/wordnet-corpus.mjs';
import { CLI_BIN, runCli } from './test-support/run-cli.js';

const work = mkdtempSync(join(tmpdir(), 'cp-e2e-'));
const corpus = join(work, 'wordnet.jsonl');
const index = join(work, 'index');
const config = join(work, 'config.json');

beforeAll(async () => {
  const { corpus: glosses } = wordNetSlice({ size: 2000, seed: 7 }) as { corpus: Array<Record<string, unknown>> };
  writeFileSync(corpus, glosses.map((record) => JSON.stringify(record)).join('\n') + '\n');
  writeFileSync(config, JSON.stringify({ dimensions: 96, clustering: { maxDepth: 2 }, umap: { nComponents: 8 } }));
  const result = await runCli(['index', corpus, '--output', index, '--config', config, '--yes']);
  expect(result.stderr).toContain('index written');
  expect(result.code).toBe(0);
}, 600_000);

afterAll(() => rmSync(work, { recursive: true, force: true }));

describe('corpus-proximity CLI on a WordNet slice', () => {
  it('builds a layered tree of at least two levels: nested, every chunk in a leaf, outliers flagged with a GLOSH score', async () => {
    const loaded = await loadCorpusIndex(index);
    expect(loaded.count).toBe(2000);
    const leaves = new Set<string>();
    let deepest = 0;
    walkBreadthFirst(loaded.tree, (node: ClusterNode) => {
      deepest = Math.max(deepest, node.depth);
      if (node.children.length === 0) leaves.add(node.cluster_id);
      if (node.depth > 0) expect(node.name).toMatch(/\S/);
      expect(node.noise_count).toBe(0);
      if (node.children.length > 0) expect(node.children.reduce((sum, child) => sum + child.size, 0)).toBe(node.size);
    });
    expect(deepest).toBeGreaterThanOrEqual(2);
    expect(loaded.assignment.clusters).toHaveLength(2000);
    for (const cluster of loaded.assignment.clusters) expect(leaves.has(cluster)).toBe(true);
    const outliers = loaded.assignment.noise.length;
    expect(outliers).toBeGreaterThan(0);
    expect(loaded.tree.outlier_count).toBe(outliers);
    expect(loaded.manifest.counts.noise).toBe(outliers);
    const scores = loaded.assignment.outlier_scores!;
    expect(scores).toHaveLength(2000);
    for (const score of scores) expect(score! >= 0 && score! <= 1).toBe(true);
    const flagged = new Set(loaded.assignment.noise);
    const mean = (rows: number[]) => rows.reduce((sum, row) => sum + scores[row]!, 0) / rows.length;
    const all = scores.map((_, row) => row);
    expect(mean(all.filter((row) => flagged.has(row)))).toBeGreaterThan(mean(all.filter((row) => !flagged.has(row))));
    const stats = JSON.parse(readFileSync(join(index, 'stats.json'), 'utf8'));
    expect(stats.noise).toBe(outliers);
    expect(stats.tree_kind).toBe('layers');
    expect(stats.tree_quality[0]).toMatchObject({ depth: 1, clusters: loaded.tree.children.length, outlier_share: Math.round((1000 * outliers) / 2000) / 1000 });
    // the nearest cluster of an outlier's own vector is its leaf, flagged, with its score
    const outlier = loaded.assignment.noise[0]!;
    const [hit] = nearestClusters(loaded, loaded.embeddings.slice(outlier * loaded.dimension, (outlier + 1) * loaded.dimension), 1, 10);
    expect(hit).toMatchObject({ chunkIdx: outlier, clusterId: loaded.assignment.clusters[outlier], isNoise: true, outlierScore: scores[outlier] });
    expect(stats.tree_quality[0].largest_child_share).toBe(Math.round((1000 * loaded.tree.children[0]!.size) / 2000) / 1000);
  });

  it('writes embeddings.npy that numpy.load reads with the manifest shape', () => {
    const manifest = JSON.parse(readFileSync(join(index, 'manifest.json'), 'utf8'));
    const printed = execFileSync('/usr/bin/python3', ['-c', `import numpy, sys; a = numpy.load(sys.argv[1]); print(a.shape[0], a.shape[1], a.dtype, round(float((a * a).sum(axis=1).mean()), 3))`, join(index, 'embeddings.npy')], { encoding: 'utf8' });
    expect(printed.trim()).toBe(`${manifest.counts.chunks} ${manifest.dimension} float32 1.0`);
  });

  it('annotates outputs as JSON with every annotation field', async () => {
    const outputs = join(work, 'outputs.jsonl');
    writeFileSync(outputs, [
      JSON.stringify({ prompt: 'p', output: 'A sparrow is a small bird. It eats seeds and insects.' }),
      JSON.stringify({ completion: 'Anger is a strong feeling of displeasure.' }),
    ].join('\n'));
    const result = await runCli(['annotate', outputs, '--index', index, '--format', 'json', '--k', '2', '--yes']);
    expect(result.code).toBe(0);
    const lines = result.stdout.trim().split('\n').map((line) => JSON.parse(line));
    expect(lines).toHaveLength(2);
    expect(lines[0].prompt).toBe('p');
    const annotation = lines[0].annotations[0];
    for (const field of ['text_span', 'char_start', 'char_end', 'cluster_id', 'cluster_name', 'cluster_depth', 'distance', 'rank', 'corpus_stage', 'nearest_chunk_idx', 'nearest_chunk_text']) {
      expect(annotation).toHaveProperty(field);
    }
    expect(lines[0].annotations.filter((a: { rank: number }) => a.rank === 1)).toHaveLength(2);
    expect(annotation.corpus_stage).toBe('pretrain');
    expect(lines[0].text.slice(annotation.char_start, annotation.char_end)).toBe(annotation.text_span);
    // The layered tree records each chunk's GLOSH score; every annotation carries its nearest chunk's.
    const scores = JSON.parse(readFileSync(join(index, 'chunk_to_cluster.json'), 'utf8')).outlier_scores as Array<number | null>;
    for (const a of lines.flatMap((line: { annotations: Array<{ nearest_chunk_idx: number | null; outlier_score?: number | null }> }) => line.annotations)) {
      if (a.nearest_chunk_idx === null) continue;
      expect(a.outlier_score).toBe(scores[a.nearest_chunk_idx]);
    }
  });

  it('prints chess and compact formats and the tree', async () => {
    const chess = await runCli(['annotate', '-', '--index', index, '--yes'], { input: '{"text": "A lawyer represents clients in court."}\n' });
    expect(chess.code).toBe(0);
    expect(chess.stdout).toContain('📍 Source Analysis:');
    expect(chess.stdout).toMatch(/\[1\] .+ \(d=\d\.\d{3}, pretrain\)/);
    const compact = await runCli(['annotate', '-', '--index', index, '--format', 'compact', '--yes'], { input: '{"response": "Bread is baked from dough."}\n' });
    expect(compact.stdout).toMatch(/→ .+ \(\d\.\d\d\)/);
    const tree = await runCli(['show', '--index', index, '--tree']);
    expect(tree.code).toBe(0);
    expect(tree.stdout).toMatch(/├─ \[0\.0\] .+ \(\d+, \d+% of parent, \d+% outliers, s=-?\d\.\d\d\)/);
    const inspect = await runCli(['show', '--index', index, '--inspect', '0.0', '--json']);
    expect(JSON.parse(inspect.stdout).cluster_id).toBe('0.0');
  });

  it('refuses without a terminal unless --yes, and explains', async () => {
    const result = await runCli(['index', corpus, '--output', join(work, 'never')]);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('CORPUS REQUIREMENT WARNING');
    expect(result.stderr).toContain('--yes');
    expect(existsSync(join(work, 'never', 'manifest.json'))).toBe(false);
  });
});

describe('--tree recursive (the seed-004 preset) through the CLI', () => {
  it('builds the recursive tree: noise kept at its node, no outlier scores, recorded in config.json and stats.json', async () => {
    const target = join(work, 'recursive');
    const result = await runCli(['index', corpus, '--output', target, '--config', config, '--tree', 'recursive', '--yes', '-q']);
    expect(result.code).toBe(0);
    const loaded = await loadCorpusIndex(target);
    let kept = 0;
    walkBreadthFirst(loaded.tree, (node: ClusterNode) => {
      kept += node.noise_count;
      expect(node.outlier_count).toBeUndefined();
    });
    expect(kept).toBeGreaterThan(0);
    expect(loaded.assignment.noise).toHaveLength(kept);
    expect(loaded.assignment.outlier_scores).toBeUndefined();
    const written = JSON.parse(readFileSync(join(target, 'config.json'), 'utf8'));
    expect(written.clustering.tree).toBe('recursive');
    expect(written.umap.nComponents).toBe(50);
    expect(JSON.parse(readFileSync(join(target, 'stats.json'), 'utf8')).tree_kind).toBe('recursive');
  });

  it('refuses a bad --tree value or clustering.tree key, naming it', async () => {
    const flag = await runCli(['index', corpus, '--output', join(work, 'x'), '--tree', 'flat', '--yes', '-q']);
    expect(flag.code).not.toBe(0);
    expect(flag.stderr).toContain('--tree flat: expected layers');
    expect(flag.stderr).not.toMatch(/\n\s+at /);
    const badConfig = join(work, 'bad-tree.json');
    writeFileSync(badConfig, JSON.stringify({ clustering: { consensusRuns: 0 } }));
    const key = await runCli(['index', corpus, '--output', join(work, 'x'), '--config', badConfig, '--yes', '-q']);
    expect(key.code).not.toBe(0);
    expect(key.stderr).toContain('field clustering.consensusRuns is 0; must be ≥ 1');
    for (const [value, message] of [[0.5, 'field umap.knnOversampling is 0.5; must be ≥ 1'], ['twice', 'field umap.knnOversampling is text ("twice"), not a number'], [17, 'field umap.knnOversampling is 17; must be ≤ 16']] as const) {
      writeFileSync(badConfig, JSON.stringify({ umap: { knnOversampling: value } }));
      const umapKey = await runCli(['index', corpus, '--output', join(work, 'x'), '--config', badConfig, '--yes', '-q']);
      expect(umapKey.code).toBe(2);
      expect(umapKey.stderr).toContain(message);
      expect(existsSync(join(work, 'x'))).toBe(false);
    }
  });
});

describe('bad input', () => {
  it('names the file and line of a malformed JSONL line, and --skip-invalid skips it with a count', async () => {
    const bad = join(work, 'bad.jsonl');
    const lines = Array.from({ length: 120 }, (_, i) => JSON.stringify({ text: `gloss number ${i} about ${i % 2 ? 'birds and feathers' : 'bread and ovens'}` }));
    lines[4] = '{"text": "unterminated';
    writeFileSync(bad, lines.join('\n'));
    const failed = await runCli(['index', bad, '--output', join(work, 'bad-index'), '--yes', '-q']);
    expect(failed.code).toBe(1);
    expect(failed.stderr).toContain(`${bad}:5`);
    expect(failed.stderr).toContain('--skip-invalid');
    const skipped = await runCli(['index', bad, '--output', join(work, 'bad-index'), '--yes', '-q', '--skip-invalid', '--config', config]);
    expect(skipped.stderr).toMatch(/skipped 1 invalid line/);
    expect(skipped.code).toBe(0);
  });

  it('reports a missing text field, an empty corpus and invalid UTF-8', async () => {
    const missing = join(work, 'missing.jsonl');
    writeFileSync(missing, '{"body": "no text here"}\n');
    const noField = await runCli(['index', missing, '--output', join(work, 'x'), '--yes', '-q']);
    expect(noField.code).toBe(1);
    expect(noField.stderr).toMatch(/missing\.jsonl:1/);
    expect(noField.stderr).toContain('body');
    const withField = await runCli(['index', missing, '--output', join(work, 'x'), '--yes', '-q', '--text-field', 'nope']);
    expect(withField.stderr).toContain('nope');

    const empty = join(work, 'empty.jsonl');
    writeFileSync(empty, '\n\n');
    const noDocs = await runCli(['index', empty, '--output', join(work, 'x'), '--yes', '-q']);
    expect(noDocs.code).toBe(1);
    expect(noDocs.stderr.toLowerCase()).toContain('empty');

    const latin1 = join(work, 'latin1.jsonl');
    writeFileSync(latin1, Buffer.concat([Buffer.from('{"text": "ok"}\n{"text": "caf'), Buffer.from([0xe9]), Buffer.from('"}\n')]));
    const utf8 = await runCli(['index', latin1, '--output', join(work, 'x'), '--yes', '-q']);
    expect(utf8.code).toBe(1);
    expect(utf8.stderr).toMatch(/latin1\.jsonl:2/);
    expect(utf8.stderr).toContain('UTF-8');
  });

  it('explains a missing file, a checksum mismatch and a wrong dimension in an index folder', async () => {
    const copy = (name: string) => {
      const target = join(work, name);
      execFileSync('cp', ['-r', index, target]);
      return target;
    };
    const noTree = copy('no-tree');
    rmSync(join(noTree, 'tree.json'));
    const missing = await runCli(['show', '--index', noTree]);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toContain('tree.json');

    const tampered = copy('tampered');
    writeFileSync(join(tampered, 'chunks.jsonl'), readFileSync(join(tampered, 'chunks.jsonl'), 'utf8').replace('a', 'b'));
    const checksum = await runCli(['show', '--index', tampered]);
    expect(checksum.code).toBe(1);
    expect(checksum.stderr).toContain('chunks.jsonl');
    expect(checksum.stderr.toLowerCase()).toContain('checksum');

    const reshaped = copy('reshaped');
    const manifest = JSON.parse(readFileSync(join(reshaped, 'manifest.json'), 'utf8'));
    manifest.dimension += 1;
    writeFileSync(join(reshaped, 'manifest.json'), JSON.stringify(manifest));
    const dimension = await runCli(['show', '--index', reshaped]);
    expect(dimension.code).toBe(1);
    expect(dimension.stderr).toMatch(/dimension/i);
  });

  it('names the line of a malformed outputs file', async () => {
    const outputs = join(work, 'bad-outputs.jsonl');
    writeFileSync(outputs, '{"output": "fine"}\n[1, 2]\n');
    const result = await runCli(['annotate', outputs, '--index', index, '--yes']);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain(`${outputs}:2`);
    const noText = join(work, 'no-text-outputs.jsonl');
    writeFileSync(noText, '{"answer": "fine"}\n');
    const missing = await runCli(['annotate', noText, '--index', index, '--yes']);
    expect(missing.stderr).toContain(`${noText}:1`);
    expect(missing.stderr).toContain('--text-field');
  });

  it('never leaves a folder that loads as complete after Ctrl-C during index', async () => {
    const target = join(work, 'interrupted');
    const child = spawn(process.execPath, [CLI_BIN, 'index', corpus, '--output', target, '--config', config, '--yes'], { stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    await new Promise<void>((resolve) => {
      child.stderr.on('data', (data) => {
        stderr += data;
        if (/\[(embed|cluster)\]/.test(stderr)) resolve();
      });
      child.on('close', () => resolve());
    });
    child.kill('SIGINT');
    const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
    expect(code).not.toBe(0);
    expect(existsSync(join(target, 'manifest.json'))).toBe(false);
    await expect(loadCorpusIndex(target)).rejects.toThrow(/manifest|incomplete|not found|no such/i);
  });
});
