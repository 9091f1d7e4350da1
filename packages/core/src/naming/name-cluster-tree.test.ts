import { describe, expect, it } from 'vitest';
import { AbortedError, InvalidInputError } from '../errors.js';
import { createRandom } from '../random.js';
import type { NamerV1, NamingRequest } from '../specs.js';
import type { ClusterNode } from '../types.js';
import { nameClusterTree, type NameClusterTreeOptions } from './name-cluster-tree.js';

const dimension = 8;

/** Root → 4 children → 3 grandchildren each, 10 chunks per leaf around distinct directions. */
function fixture() {
  const random = createRandom(7);
  const chunks: string[] = [];
  const rows: number[][] = [];
  const members = new Map<string, number[]>();
  const node = (id: string, depth: number, row: number, children: ClusterNode[]): ClusterNode => ({
    cluster_id: id, name: '', depth, size: 0, silhouette: null, split_silhouette: null, noise_count: 0, samples: [], centroid_row: row, children,
  });
  const root = node('0', 0, 0, []);
  let row = 1;
  for (let i = 0; i < 4; i++) root.children.push(node(`0.${i}`, 1, row++, []));
  for (let i = 0; i < 4; i++) {
    for (let k = 0; k < 3; k++) {
      const leaf = node(`0.${i}.${k}`, 2, row++, []);
      root.children[i]!.children.push(leaf);
      for (let n = 0; n < 10; n++) {
        const v = Array.from({ length: dimension }, (_, d) => (d === i ? 1 : d === 4 + k ? 0.5 : 0) + (random() - 0.5) * 0.2);
        const norm = Math.hypot(...v);
        rows.push(v.map((x) => x / norm));
        chunks.push(`leaf ${leaf.cluster_id} chunk ${n}`);
        for (const id of ['0', `0.${i}`, leaf.cluster_id]) members.set(id, [...(members.get(id) ?? []), chunks.length - 1]);
      }
    }
  }
  const embeddings = Float32Array.from(rows.flat());
  const order = [root, ...root.children, ...root.children.flatMap((c) => c.children)];
  const centroids = new Float32Array(order.length * dimension);
  for (const n of order) {
    for (const idx of members.get(n.cluster_id)!) for (let d = 0; d < dimension; d++) centroids[n.centroid_row * dimension + d]! += embeddings[idx * dimension + d]!;
  }
  return { root, chunks, embeddings, centroids, members };
}

/** A namer that records every request, counts calls in flight and answers after a few event-loop turns. */
function recordingNamer(options: { name?: (r: NamingRequest) => string; fail?: (r: NamingRequest) => boolean } = {}) {
  const requests: NamingRequest[] = [];
  const events: string[] = [];
  let inFlight = 0;
  let maxInFlight = 0;
  const namer: NamerV1 = {
    specificationVersion: 'namer-v1',
    id: 'recording',
    async doName(request) {
      requests.push(request);
      events.push(`start ${request.clusterId}`);
      maxInFlight = Math.max(maxInFlight, ++inFlight);
      await new Promise((resolve) => setTimeout(resolve, 2));
      inFlight--;
      events.push(`end ${request.clusterId}`);
      if (options.fail?.(request)) throw new Error(`boom at ${request.clusterId}`);
      return { name: options.name?.(request) ?? `Topic ${request.clusterId}`, description: `About ${request.clusterId}.`, naming: 'llm' };
    },
  };
  return { namer, requests, events, maxInFlight: () => maxInFlight };
}

function run(namer: NamerV1, extra: Partial<NameClusterTreeOptions> = {}) {
  const data = fixture();
  const done = nameClusterTree(data.root, { namer, dimension, seed: 1, ...data, ...extra });
  return { data, done };
}

const allNodes = (root: ClusterNode): ClusterNode[] => [root, ...root.children.flatMap(allNodes)];

describe('nameClusterTree', () => {
  it('names level by level, each child knowing its parent path', async () => {
    const mock = recordingNamer();
    const { data, done } = run(mock.namer);
    expect(await done).toEqual({ calls: 16, failures: 0, errors: [] });
    const lastDepth1End = mock.events.lastIndexOf('end 0.3');
    const firstDepth2Start = mock.events.findIndex((e) => /^start 0\.\d\.\d$/.test(e));
    expect(lastDepth1End).toBeLessThan(firstDepth2Start);
    expect(mock.requests.map((r) => r.depth)).toEqual([...Array(4).fill(1), ...Array(12).fill(2)]);
    for (const request of mock.requests) {
      const parentId = request.clusterId.split('.').slice(0, -1).join('.');
      expect(request.parentPath).toEqual(request.depth === 1 ? [] : [`Topic ${parentId}`]);
      expect(request.siblingTexts).toHaveLength(request.depth === 1 ? 3 : 2);
      expect(request.texts).toHaveLength(request.depth === 1 ? 30 : 10);
    }
    expect(data.root.name).toBe('All corpus');
    for (const node of allNodes(data.root).slice(1)) {
      expect(node.name).toBe(`Topic ${node.cluster_id}`);
      expect(node.naming).toBe('llm');
      expect(node.description).toBe(`About ${node.cluster_id}.`);
    }
  });

  it('passes the names of siblings started a full window earlier, and keeps calls bounded but parallel', async () => {
    const mock = recordingNamer();
    const { done } = run(mock.namer, { concurrency: 3, siblingContextLag: 3 });
    await done;
    expect(mock.maxInFlight()).toBeGreaterThan(1);
    expect(mock.maxInFlight()).toBeLessThanOrEqual(3);
    const byId = new Map(mock.requests.map((r) => [r.clusterId, r]));
    expect(byId.get('0.0')!.siblingNames).toEqual([]);
    expect(byId.get('0.3')!.siblingNames).toEqual(['Topic 0.0']);
    // Grandchildren start first children first, so later ones see their earlier siblings' names.
    expect(byId.get('0.2.1')!.siblingNames).toEqual(['Topic 0.2.0']);
    expect(byId.get('0.1.2')!.siblingNames).toEqual(['Topic 0.1.0', 'Topic 0.1.1']);
  });

  it('falls back when the namer throws and still names the rest of the tree', async () => {
    const mock = recordingNamer({ fail: (r) => r.clusterId === '0.2' || r.clusterId === '0.1.1' });
    const fallback: NamerV1 = { specificationVersion: 'namer-v1', id: 'kw', doName: async (r) => ({ name: `Keywords ${r.clusterId}` }) };
    const { data, done } = run(mock.namer, { fallback });
    const result = await done;
    expect(result.calls).toBe(16);
    expect(result.failures).toBe(2);
    expect(result.errors.map((e) => e.message)).toEqual(['boom at 0.2', 'boom at 0.1.1']);
    const node = data.root.children[2]!;
    expect(node).toMatchObject({ name: 'Keywords 0.2', naming: 'keywords-fallback' });
    expect(node.description).toBeUndefined();
    expect(mock.requests.find((r) => r.clusterId === '0.2.0')!.parentPath).toEqual(['Keywords 0.2']);
    expect(data.root.children[1]!.children[1]!.naming).toBe('keywords-fallback');
  });

  it('uses a placeholder when there is no fallback or it fails too', async () => {
    const mock = recordingNamer({ fail: (r) => r.clusterId === '0.0' });
    const { data, done } = run(mock.namer);
    expect((await done).failures).toBe(1);
    expect(data.root.children[0]).toMatchObject({ name: 'Unlabelled cluster 0.0', naming: 'unnamed' });
  });

  it('picks samples nearest the centroid first, then others, all from the cluster', async () => {
    const mock = recordingNamer();
    const { data, done } = run(mock.namer, { samplesPerCluster: 4 });
    await done;
    for (const node of allNodes(data.root)) {
      const members = data.members.get(node.cluster_id)!;
      const centroid = data.centroids.subarray(node.centroid_row * dimension, (node.centroid_row + 1) * dimension);
      const sim = (idx: number) => centroid.reduce((sum, c, d) => sum + c * data.embeddings[idx * dimension + d]!, 0);
      const nearest = [...members].sort((a, b) => sim(b) - sim(a))[0];
      expect(node.samples).toHaveLength(4);
      expect(node.samples[0]).toBe(nearest);
      expect(new Set(node.samples).size).toBe(4);
      for (const idx of node.samples) expect(members).toContain(idx);
      const request = mock.requests.find((r) => r.clusterId === node.cluster_id);
      if (request) expect(request.samples).toEqual(node.samples.map((idx) => data.chunks[idx]));
    }
  });

  it('gives duplicate sibling names a number', async () => {
    const mock = recordingNamer({ name: (r) => (r.depth === 1 ? 'Same Name' : `Leaf ${r.clusterId}`) });
    const { data, done } = run(mock.namer);
    await done;
    expect(data.root.children.map((c) => c.name)).toEqual(['Same Name', 'Same Name (2)', 'Same Name (3)', 'Same Name (4)']);
  });

  it('is deterministic: same seed, same requests', async () => {
    const first = recordingNamer();
    await run(first.namer, { textsPerCluster: 5 }).done;
    const second = recordingNamer();
    await run(second.namer, { textsPerCluster: 5 }).done;
    const key = (r: NamingRequest) => r.clusterId;
    const strip = ({ abortSignal: _, ...rest }: NamingRequest) => rest;
    expect([...second.requests].sort((a, b) => key(a).localeCompare(key(b))).map(strip)).toEqual(
      [...first.requests].sort((a, b) => key(a).localeCompare(key(b))).map(strip),
    );
    expect(first.requests[0]!.texts).toHaveLength(5);
  });

  it('keeps a root name, stops on abort, and rejects a members map with holes', async () => {
    const data = fixture();
    data.root.name = 'My corpus';
    const controller = new AbortController();
    const mock = recordingNamer({ fail: () => (controller.abort(), false) });
    await expect(nameClusterTree(data.root, { ...data, dimension, namer: mock.namer, abortSignal: controller.signal })).rejects.toBeInstanceOf(AbortedError);
    expect(data.root.name).toBe('My corpus');
    expect(mock.requests.length).toBeLessThan(16);
    data.members.delete('0.1.2');
    await expect(nameClusterTree(data.root, { ...data, dimension, namer: mock.namer })).rejects.toBeInstanceOf(InvalidInputError);
  });
});
