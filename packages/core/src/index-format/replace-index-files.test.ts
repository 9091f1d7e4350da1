import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { CorpusIndexData } from './corpus-index.js';
import { loadCorpusIndex } from './load-corpus-index.js';
import { finishInterruptedReplace, replaceIndexFiles, STAGING_FOLDER } from './replace-index-files.js';
import type { ClusterNode } from '../types.js';
import { writeCorpusIndex } from './write-corpus-index.js';

let folder: string;
beforeEach(async () => {
  folder = await mkdtemp(join(tmpdir(), 'cp-replace-'));
});
afterEach(async () => {
  await rm(folder, { recursive: true, force: true });
});

const leaf = (cluster_id: string, centroid_row: number, name: string): ClusterNode => ({ cluster_id, name, depth: 1, size: 2, silhouette: 0.5, split_silhouette: null, noise_count: 0, samples: [0], centroid_row, children: [] });
function data(name: string): CorpusIndexData {
  const tree: ClusterNode = { ...leaf('0', 0, 'root'), depth: 0, size: 4, silhouette: null, children: [leaf('0.0', 1, name), leaf('0.1', 2, `${name} too`)] };
  return {
    chunks: ['a', 'b', 'c', 'd'],
    metadata: [0, 1, 2, 3].map((i) => ({ source: 's', shard_id: 0, chunk_id: i, corpus_stage: 'pretrain', char_start: 0, char_end: 1 })),
    embeddings: Float32Array.from([1, 0, 0, 1, 1, 0, 0, 1]),
    dimension: 2,
    tree,
    centroids: Float32Array.from([1, 0, 1, 0, 0, 1]),
    assignment: { clusters: ['0.0', '0.1', '0.0', '0.1'], noise: [] },
    stats: { naming: name },
    config: { namer: name },
    embedder: { provider: 'mock', modelId: 'm', dimensions: 2 },
    documents: 1,
    sources: 1,
  };
}
const newFiles = (tree: ClusterNode) => ({ 'tree.json': `${JSON.stringify(tree, null, 2)}\n`, 'stats.json': '{"naming": "new"}\n', 'config.json': '{"namer": "new"}\n' });
const steps = ['stage:tree.json', 'stage:stats.json', 'stage:config.json', 'stage:manifest.json', 'commit:config.json', 'commit:stats.json', 'commit:tree.json', 'commit:manifest.json'];

describe('replaceIndexFiles (issue 14 item 6: rename writes atomically)', () => {
  it('writes the new files and a manifest that the loader accepts', async () => {
    const manifest = await writeCorpusIndex(folder, data('Old'));
    await replaceIndexFiles(folder, manifest, newFiles(data('New').tree));
    const loaded = await loadCorpusIndex(folder);
    expect(loaded.tree.children[0]!.name).toBe('New');
    expect(loaded.config).toEqual({ namer: 'new' });
    expect(existsSync(join(folder, STAGING_FOLDER))).toBe(false);
  });

  it.each(steps)('a crash before %s leaves an index that loads, with the old names or all the new ones', async (step) => {
    const manifest = await writeCorpusIndex(folder, data('Old'));
    const crash = (current: string) => {
      if (current === step) throw new Error(`crash at ${step}`);
    };
    await expect(replaceIndexFiles(folder, manifest, newFiles(data('New').tree), { beforeStep: crash })).rejects.toThrow('crash');
    const loaded = await loadCorpusIndex(folder);
    const committed = step.startsWith('commit:');
    expect(loaded.tree.children[0]!.name).toBe(committed ? 'New' : 'Old');
    expect(loaded.stats).toEqual(committed ? { naming: 'new' } : { naming: 'Old' });
    expect(existsSync(join(folder, STAGING_FOLDER))).toBe(false);
    expect(await finishInterruptedReplace(folder)).toBe(false);
    // And the next replace works from there.
    await replaceIndexFiles(folder, loaded.manifest, newFiles(data('Newer').tree));
    expect((await loadCorpusIndex(folder)).tree.children[0]!.name).toBe('Newer');
    expect(JSON.parse(await readFile(join(folder, 'manifest.json'), 'utf8')).files['embeddings.npy']).toEqual(manifest.files['embeddings.npy']);
  });
});
