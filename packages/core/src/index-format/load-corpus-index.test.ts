import { execFileSync } from 'node:child_process';
import { mkdir, mkdtemp, readdir, readFile, rm, truncate, unlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { CorpusIndexData } from './corpus-index.js';
import { encodeNpy } from './encode-npy.js';
import { InvalidIndexError } from '../errors.js';
import { loadCorpusIndex } from './load-corpus-index.js';
import { createRandom } from '../random.js';
import { readIndexManifest } from './read-index-manifest.js';
import { sha256File } from './sha256-file.js';
import type { ClusterNode } from '../types.js';
import { writeCorpusIndex } from './write-corpus-index.js';

let folder: string;
beforeEach(async () => {
  folder = await mkdtemp(join(tmpdir(), 'cp-index-'));
});
afterEach(async () => {
  await rm(folder, { recursive: true, force: true });
});

function node(cluster_id: string, depth: number, size: number, centroid_row: number, children: ClusterNode[] = []): ClusterNode {
  return { cluster_id, name: `n${cluster_id}`, depth, size, silhouette: depth === 0 ? null : 0.4, split_silhouette: null, noise_count: 0, samples: [0], centroid_row, children };
}

// A small, internally consistent index: 6 chunks, dimension 4, a root with two leaves.
function sampleData(): CorpusIndexData {
  const random = createRandom(11);
  const dimension = 4;
  const unit = (values: number[]) => {
    const norm = Math.hypot(...values);
    return values.map((v) => v / norm);
  };
  const embeddings = Float32Array.from(Array.from({ length: 6 }, () => unit(Array.from({ length: dimension }, () => random() - 0.5))).flat());
  const tree = node('0', 0, 6, 0, [node('0.0', 1, 3, 1), node('0.1', 1, 3, 2)]);
  return {
    chunks: ['alpha', 'beta "quoted"', 'gamma\nline', 'delta é', 'epsilon 😀', 'zeta'],
    metadata: Array.from({ length: 6 }, (_, i) => ({ source: `s${i % 2}.txt`, shard_id: i % 2, chunk_id: i, corpus_stage: 'pretrain', char_start: 0, char_end: 5 })),
    embeddings,
    dimension,
    tree,
    centroids: Float32Array.from({ length: 3 * dimension }, (_, i) => i / 10),
    assignment: { clusters: ['0.0', '0.0', '0.0', '0.1', '0.1', '0'], noise: [5] },
    stats: { timings: { embed: 1 } },
    config: { seed: 42 },
    embedder: { provider: 'mock', modelId: 'tiny', dimensions: dimension, state: { settings: { k: 1 }, files: { 'vocab.json': new TextEncoder().encode('{"a":1}') } } },
    documents: 3,
    sources: 2,
  };
}

async function loadError(options?: { verifyChecksums?: boolean }): Promise<InvalidIndexError> {
  const error = await loadCorpusIndex(folder, options).then(() => undefined, (e: unknown) => e);
  expect(error).toBeInstanceOf(InvalidIndexError);
  expect((error as InvalidIndexError).directory).toBe(folder);
  return error as InvalidIndexError;
}

describe('writeCorpusIndex + loadCorpusIndex', () => {
  it('round-trips every part of the index and writes a manifest with counts and checksums', async () => {
    const data = sampleData();
    const manifest = await writeCorpusIndex(folder, data, { toolVersion: '9.9.9' });
    expect(manifest.counts).toEqual({ chunks: 6, documents: 3, sources: 2, clusters: 3, noise: 1, max_depth: 1 });
    expect(manifest.embedder).toMatchObject({ id: 'mock:tiny', state_files: ['embedder/vocab.json'], settings: { k: 1 } });
    expect(Object.keys(manifest.files).sort()).toEqual(
      ['centroids.npy', 'chunk_to_cluster.json', 'chunks.jsonl', 'config.json', 'embedder/vocab.json', 'embeddings.npy', 'metadata.jsonl', 'stats.json', 'tree.json'],
    );
    for (const [file, entry] of Object.entries(manifest.files)) expect(await sha256File(join(folder, file))).toEqual(entry);
    expect((await readFile(join(folder, 'chunks.jsonl'), 'utf8')).split('\n')[1]).toBe('{"idx":1,"text":"beta \\"quoted\\""}');
    expect(await readIndexManifest(folder)).toEqual(manifest);

    const index = await loadCorpusIndex(folder);
    const { directory, manifest: loadedManifest, count, getNode, search, searchMany, searchMode, ...loaded } = index;
    expect(loaded).toEqual(data);
    expect([directory, count, loadedManifest.tool_version]).toEqual([folder, 6, '9.9.9']);
    expect(searchMode).toBe('exact');
    expect(getNode('0.1')?.name).toBe('n0.1');
    expect(search(data.embeddings.subarray(8, 12), 1)[0]!.idx).toBe(2);
    expect(searchMany([data.embeddings.subarray(8, 12), data.embeddings.subarray(0, 4)], 1).map((hits) => hits[0]!.idx)).toEqual([2, 0]);
  });

  it('stores float16 embeddings and loads them back as float32', async () => {
    const data = sampleData();
    const manifest = await writeCorpusIndex(folder, data, { dtype: 'float16' });
    expect(manifest.dtype).toBe('float16');
    expect(manifest.files['embeddings.npy']!.bytes).toBe(128 + 6 * 4 * 2);
    const index = await loadCorpusIndex(folder);
    expect(index.embeddings).toBeInstanceOf(Float32Array);
    for (let i = 0; i < data.embeddings.length; i++) expect(index.embeddings[i]).toBeCloseTo(data.embeddings[i]!, 3);
  });

  it('is readable from Python the way the design documents', async () => {
    await writeCorpusIndex(folder, sampleData());
    const out = execFileSync('/usr/bin/python3', ['-c', `import numpy, json; e=numpy.load('${folder}/embeddings.npy'); c=numpy.load('${folder}/centroids.npy'); m=json.load(open('${folder}/manifest.json')); print(e.shape, c.shape, m['counts']['chunks'], round(float((e*e).sum()), 4))`], { encoding: 'utf8' });
    expect(out.trim()).toBe('(6, 4) (3, 4) 6 6.0');
  });

  it('removes an old manifest first, writes atomically and leaves other files alone', async () => {
    await writeCorpusIndex(folder, sampleData());
    await mkdir(join(folder, 'checkpoints'));
    await writeFile(join(folder, 'checkpoints', 'embed-000.npy'), 'keep');
    const bad = sampleData();
    bad.metadata.pop();
    await expect(writeCorpusIndex(folder, bad)).rejects.toThrow(`refusing to write an inconsistent index to ${folder}: 6 chunks but 5 metadata rows`);
    // A rewrite that fails half-way must not leave the old manifest describing new files.
    const failing = sampleData();
    (failing as { tree: unknown }).tree = { cluster_id: '0', depth: 0, children: [], toJSON: () => { throw new Error('disk full'); } };
    (failing as { centroids: Float32Array }).centroids = new Float32Array(4);
    await expect(writeCorpusIndex(folder, failing)).rejects.toThrow('disk full');
    expect((await loadError()).message).toContain('has no manifest.json');
    expect(await readFile(join(folder, 'checkpoints', 'embed-000.npy'), 'utf8')).toBe('keep');
    expect((await readdir(folder)).filter((name) => name.includes('.tmp-'))).toEqual([]);
  });
});

describe('loadCorpusIndex errors', () => {
  beforeEach(async () => {
    await writeCorpusIndex(folder, sampleData());
  });

  it('says the index is incomplete when manifest.json is missing', async () => {
    await unlink(join(folder, 'manifest.json'));
    const error = await loadError();
    expect(error.message).toBe(
      `${folder} has no manifest.json: the index is incomplete (was \`corpus-proximity index\` interrupted?). Run the same index command again to finish it.`,
    );
    expect(error.file).toBe('manifest.json');
  });

  it('names a missing folder and an unknown format version', async () => {
    await expect(loadCorpusIndex(join(folder, 'nope'))).rejects.toThrow(`${join(folder, 'nope')}: no such index folder`);
    const manifest = JSON.parse(await readFile(join(folder, 'manifest.json'), 'utf8'));
    await writeFile(join(folder, 'manifest.json'), JSON.stringify({ ...manifest, format_version: 99 }));
    expect((await loadError()).message).toContain('is index format version 99');
    await writeFile(join(folder, 'manifest.json'), '{"format": "something-else"}');
    expect((await loadError()).message).toContain('is not a corpus-proximity index manifest');
  });

  it('names a missing file', async () => {
    await unlink(join(folder, 'tree.json'));
    const error = await loadError();
    expect(error.file).toBe('tree.json');
    expect(error.message).toBe(`${join(folder, 'tree.json')}: missing (listed in manifest.json); the index is incomplete. Run the same \`corpus-proximity index\` command again to rebuild it.`);
  });

  it('names a file whose checksum does not match, with expected and actual', async () => {
    const manifest = await readIndexManifest(folder);
    const text = await readFile(join(folder, 'chunks.jsonl'), 'utf8');
    await writeFile(join(folder, 'chunks.jsonl'), text.replace('alpha', 'ALPHA'));
    const actual = (await sha256File(join(folder, 'chunks.jsonl'))).sha256;
    const error = await loadError();
    expect(error.file).toBe('chunks.jsonl');
    expect(error.message).toContain(`checksum mismatch (expected sha256 ${manifest.files['chunks.jsonl']!.sha256}, got ${actual})`);
    expect(error.message).toContain('corpus-proximity index');
    // Without verification, the changed text loads.
    expect((await loadCorpusIndex(folder, { verifyChecksums: false })).chunks[0]).toBe('ALPHA');
  });

  it('names embeddings of the wrong dimension', async () => {
    const bytes = encodeNpy(new Float32Array(6 * 5), [6, 5]);
    await writeFile(join(folder, 'embeddings.npy'), bytes);
    const error = await loadError({ verifyChecksums: false });
    expect(error.file).toBe('embeddings.npy');
    expect(error.message).toContain('has shape (6, 5) but the index has 6 chunks of dimension 4');
    const centroids = encodeNpy(new Float32Array(2 * 4), [2, 4]);
    await writeFile(join(folder, 'embeddings.npy'), encodeNpy(sampleData().embeddings, [6, 4]));
    await writeFile(join(folder, 'centroids.npy'), centroids);
    expect((await loadError({ verifyChecksums: false })).message).toContain('centroids.npy: has shape (2, 4) but the index has 3 tree nodes of dimension 4');
  });

  it('names a truncated npy file, by size when verifying and by content when not', async () => {
    const path = join(folder, 'embeddings.npy');
    await truncate(path, 200);
    const verified = await loadError();
    expect(verified.message).toBe(`${path}: is 200 bytes but manifest.json says 224: the file was truncated or changed after the index was written. Run the same \`corpus-proximity index\` command again to rebuild it.`);
    const unverified = await loadError({ verifyChecksums: false });
    expect(unverified.file).toBe('embeddings.npy');
    expect(unverified.message).toContain('truncated .npy file: shape (6, 4) needs 96 data bytes, found 72');
  });

  it('checks line counts of chunks.jsonl and metadata.jsonl and the assignment length', async () => {
    const lines = (await readFile(join(folder, 'metadata.jsonl'), 'utf8')).trimEnd().split('\n');
    await writeFile(join(folder, 'metadata.jsonl'), `${lines.slice(0, 5).join('\n')}\n`);
    expect((await loadError({ verifyChecksums: false })).message).toContain('metadata.jsonl: has 5 rows but the index has 6 chunks');
    await writeFile(join(folder, 'metadata.jsonl'), `${lines.join('\n')}\n`);
    await writeFile(join(folder, 'chunks.jsonl'), '{"idx":0,"text":"a"}\n{"idx":5,"text":"b"}\n');
    expect((await loadError({ verifyChecksums: false })).message).toContain('chunks.jsonl: line 2 should be {"idx": 1, "text": "…"}');
    await writeFile(join(folder, 'chunks.jsonl'), '{"idx":0,"text":"a"}\n');
    expect((await loadError({ verifyChecksums: false })).message).toContain('chunks.jsonl: has 1 chunks but manifest.json says 6');
    await writeCorpusIndex(folder, sampleData());
    await writeFile(join(folder, 'chunk_to_cluster.json'), '{"clusters":["0"],"noise":[]}');
    expect((await loadError({ verifyChecksums: false })).message).toContain('chunk_to_cluster.json: assigns 1 chunks but the index has 6');
  });
});

describe('loadCorpusIndex structure checks (re-signed files that pass checksums)', () => {
  // Rewrites one file and its manifest entry, as a tool that "fixes" an index might.
  async function resign(file: string, text: string | Uint8Array): Promise<void> {
    await writeFile(join(folder, file), text);
    const manifest = JSON.parse(await readFile(join(folder, 'manifest.json'), 'utf8'));
    const { sha256, bytes } = await sha256File(join(folder, file));
    manifest.files[file] = { sha256, bytes };
    await writeFile(join(folder, 'manifest.json'), JSON.stringify(manifest));
  }
  beforeEach(async () => {
    await writeCorpusIndex(folder, sampleData());
  });

  it('rejects tree sample ids and centroid rows out of range, naming tree.json', async () => {
    const tree = sampleData().tree;
    tree.children[0]!.samples = [0, 6];
    await resign('tree.json', JSON.stringify(tree));
    const error = await loadError();
    expect(error.file).toBe('tree.json');
    expect(error.message).toContain('node "0.0" names sample chunk 6, but chunk ids run from 0 to 5');
    tree.children[0]!.samples = [0];
    tree.children[1]!.centroid_row = 1;
    await resign('tree.json', JSON.stringify(tree));
    expect((await loadError()).message).toContain('shares centroid_row 1');
  });

  it('rejects chunk_to_cluster.json naming a cluster not in the tree, or noise out of range', async () => {
    await resign('chunk_to_cluster.json', JSON.stringify({ clusters: ['0.0', '0.0', '0.7', '0.1', '0.1', '0'], noise: [5] }));
    const error = await loadError();
    expect(error.file).toBe('chunk_to_cluster.json');
    expect(error.message).toContain('chunk 2 is assigned to cluster "0.7", which is not in tree.json');
    await resign('chunk_to_cluster.json', JSON.stringify({ clusters: ['0.0', '0.0', '0.0', '0.1', '0.1', '0'], noise: [-1] }));
    expect((await loadError()).message).toContain('noise lists chunk -1');
  });

  it('rejects embedding rows that are not unit length', async () => {
    const data = sampleData();
    data.embeddings[4 * 4 + 1]! *= 3;
    await resign('embeddings.npy', encodeNpy(data.embeddings, [6, 4], 'float32'));
    const error = await loadError();
    expect(error.file).toBe('embeddings.npy');
    expect(error.message).toMatch(/row 4 has norm \d\.\d{4}; every row must be L2-normalized/);
  });

  it('refuses to write an embeddings dtype the loader cannot read', async () => {
    await expect(writeCorpusIndex(folder, sampleData(), { dtype: 'float64' as never })).rejects.toThrow(/dtype must be float32 or float16/);
  });
});
