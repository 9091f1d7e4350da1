import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { loadCorpusIndex } from '../index-format/load-corpus-index.js';
import { buildCorpusIndex } from '../pipeline/build-corpus-index.js';
import type { NamingRequest } from '../specs.js';
import { createMockClusterer, createMockEmbedder, createMockNamer } from '../test/index.js';
import { renameClusterTree } from './rename-cluster-tree.js';

const work = mkdtempSync(join(tmpdir(), 'cp-rename-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

/** What a namer sees of a request, without the abort signal. */
const seen = (requests: NamingRequest[]) =>
  requests.map(({ abortSignal: _signal, ...request }) => request).sort((a, b) => a.clusterId.localeCompare(b.clusterId));

describe('renameClusterTree', () => {
  it('asks the namer exactly what the index build asked, so an unchanged tree renames from the cache', async () => {
    const lines: string[] = [];
    const topics = ['sparrow robin wing feather nest beak', 'flour dough yeast oven bake crust', 'court judge lawyer trial verdict jury'];
    for (let i = 0; i < 300; i++) {
      const words = topics[i % 3]!.split(' ');
      lines.push(JSON.stringify({ text: Array.from({ length: 7 }, (_, w) => words[(i * 5 + w * 3) % words.length]).join(' ') + ` item${i % 17}` }));
    }
    const file = join(work, 'corpus.jsonl');
    writeFileSync(file, `${lines.join('\n')}\n`);
    const output = join(work, 'index');
    const building = createMockNamer();
    await buildCorpusIndex({
      inputs: [{ path: file }],
      output,
      embedder: createMockEmbedder({ dimensions: 24 }),
      clusterer: createMockClusterer(),
      namer: building,
      seed: 7,
      naming: { concurrency: 3, samplesPerCluster: 5 },
      config: { naming: { concurrency: 3, samplesPerCluster: 5 } },
    });
    expect(building.requests.length).toBeGreaterThan(2);

    const index = await loadCorpusIndex(output);
    const renaming = createMockNamer();
    const renamed = await renameClusterTree(index, { namer: renaming, concurrency: 3 });
    expect(seen(renaming.requests)).toEqual(seen(building.requests));
    expect(renamed.tree).toEqual(index.tree);
    // Parallelism does not change what is asked: sibling context depends on order, not timing.
    const serial = createMockNamer();
    await renameClusterTree(index, { namer: serial, concurrency: 3 });
    expect(seen(serial.requests)).toEqual(seen(building.requests));
  });
});
