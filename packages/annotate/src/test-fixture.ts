// Test helpers (not exported by the package): a tiny two-level index and a deterministic bag-of-words embedder.
import {
  corpusIndexFromData,
  type ChunkMetadata,
  type AnnotatedOutput,
  type Annotation,
  type ClusterNode,
  type CorpusIndex,
  type EmbedderV1,
  type IndexManifest,
} from '@corpus-proximity/core';

/** Dimensions of the mock embedder's vectors. */
export const MOCK_DIMENSIONS = 128;

const STOPWORDS = new Set(['the', 'a', 'an', 'of', 'is', 'in', 'for', 'to', 'and', 'with', 'you', 'it', 'this', 'into', 'until']);

/** Hashing bag-of-words vector of a text, L2-normalized; a small constant component keeps empty texts non-zero. */
export function bagOfWords(text: string, dimensions = MOCK_DIMENSIONS): Float32Array {
  const vector = new Float32Array(dimensions);
  for (const word of text.toLowerCase().match(/[a-z0-9]+/g) ?? []) {
    if (STOPWORDS.has(word)) continue;
    let hash = 2166136261;
    for (let i = 0; i < word.length; i++) hash = Math.imul(hash ^ word.charCodeAt(i), 16777619) >>> 0;
    vector[hash % (dimensions - 1)]! += 1;
  }
  vector[dimensions - 1] = 0.05;
  let norm = 0;
  for (const value of vector) norm += value * value;
  norm = Math.sqrt(norm);
  for (let i = 0; i < dimensions; i++) vector[i]! /= norm;
  return vector;
}

/** A mock embedder that records its calls. */
export interface MockEmbedder extends EmbedderV1 {
  calls: Array<{ values: string[]; inputType: 'query' | 'document' }>;
}

/** Deterministic bag-of-words embedder; settings change what it claims to be, to test mismatches. */
export function createMockEmbedder(settings: { provider?: string; modelId?: string; dimensions?: number; maxEmbeddingsPerCall?: number } = {}): MockEmbedder {
  const dimensions = settings.dimensions ?? MOCK_DIMENSIONS;
  const calls: MockEmbedder['calls'] = [];
  return {
    specificationVersion: 'embedder-v1',
    provider: settings.provider ?? 'mock',
    modelId: settings.modelId ?? 'bag-of-words',
    dimensions,
    maxTokens: 512,
    maxEmbeddingsPerCall: settings.maxEmbeddingsPerCall,
    calls,
    async doEmbed({ values, inputType }) {
      calls.push({ values: [...values], inputType });
      return { embeddings: values.map((value) => bagOfWords(value, dimensions)) };
    },
  };
}

/** The fixture corpus: text, deepest cluster, noise flag and stage of each chunk. */
export const FIXTURE_CHUNKS: Array<{ text: string; cluster: string; noise?: boolean; stage: string }> = [
  { text: 'the derivative of x squared is two x', cluster: '0.0.0', stage: 'pretrain' },
  { text: 'the power rule gives the derivative of polynomials', cluster: '0.0.0', stage: 'midtrain' },
  { text: 'integrals compute the area under a curve', cluster: '0.0.0', stage: 'pretrain' },
  { text: 'solve the linear equation for the unknown x', cluster: '0.0.1', stage: 'pretrain' },
  { text: 'factor the quadratic polynomial into linear terms', cluster: '0.0.1', stage: 'sft' },
  { text: 'numbers and proofs appear throughout mathematics', cluster: '0.0', noise: true, stage: 'pretrain' },
  { text: 'bake the bread in a hot oven until golden', cluster: '0.1.0', stage: 'pretrain' },
  { text: 'knead the dough for ten minutes before you bake', cluster: '0.1.0', stage: 'sft' },
  { text: 'simmer the soup with onions and garlic', cluster: '0.1.1', stage: 'pretrain' },
  { text: `a hearty soup needs stock and slow simmering ${'then season the broth carefully '.repeat(8)}`, cluster: '0.1.1', stage: 'midtrain' },
];

/** Builds the fixture index: root → Mathematics (Calculus, Algebra, one noise chunk) and Cooking (Baking, Soups). */
export function createFixtureIndex(options: { directory?: string; provider?: string; modelId?: string; dimensions?: number } = {}): CorpusIndex {
  const dimension = options.dimensions ?? MOCK_DIMENSIONS;
  const vectors = FIXTURE_CHUNKS.map((chunk) => bagOfWords(chunk.text, dimension));
  const embeddings = new Float32Array(vectors.length * dimension);
  vectors.forEach((vector, row) => embeddings.set(vector, row * dimension));

  const node = (cluster_id: string, name: string, children: ClusterNode[] = []): ClusterNode => {
    const members = FIXTURE_CHUNKS.flatMap((chunk, idx) => (chunk.cluster === cluster_id || chunk.cluster.startsWith(`${cluster_id}.`) ? [idx] : []));
    return {
      cluster_id,
      name,
      depth: cluster_id.split('.').length - 1,
      size: members.length,
      silhouette: null,
      split_silhouette: null,
      noise_count: FIXTURE_CHUNKS.filter((chunk) => chunk.noise && chunk.cluster === cluster_id).length,
      samples: members.slice(0, 2),
      centroid_row: 0,
      children,
      ...(children.length === 0 ? { leaf_reason: 'max-depth' as const } : {}),
    };
  };
  const tree = node('0', 'Corpus', [
    node('0.0', 'Mathematics', [node('0.0.0', 'Calculus'), node('0.0.1', 'Algebra')]),
    node('0.1', 'Cooking', [node('0.1.0', 'Baking'), node('0.1.1', 'Soups')]),
  ]);
  // Centroid rows in breadth-first order, each the normalized mean of the node's chunks.
  const order: ClusterNode[] = [];
  for (let queue = [tree]; queue.length > 0; ) {
    const next = queue.shift()!;
    next.centroid_row = order.length;
    order.push(next);
    queue.push(...next.children);
  }
  const centroids = new Float32Array(order.length * dimension);
  order.forEach((cluster, row) => {
    const members = FIXTURE_CHUNKS.flatMap((chunk, idx) => (chunk.cluster === cluster.cluster_id || chunk.cluster.startsWith(`${cluster.cluster_id}.`) || cluster.cluster_id === '0' ? [idx] : []));
    const mean = new Float32Array(dimension);
    for (const idx of members) for (let d = 0; d < dimension; d++) mean[d]! += vectors[idx]![d]!;
    const norm = Math.hypot(...mean) || 1;
    centroids.set(mean.map((value) => value / norm), row * dimension);
  });

  const metadata: ChunkMetadata[] = FIXTURE_CHUNKS.map((chunk, idx) => ({
    source: 'fixture.jsonl',
    shard_id: 0,
    chunk_id: idx,
    corpus_stage: chunk.stage,
    line: idx + 1,
    char_start: 0,
    char_end: chunk.text.length,
  }));
  const provider = options.provider ?? 'mock';
  const modelId = options.modelId ?? 'bag-of-words';
  const manifest: IndexManifest = {
    format: 'corpus-proximity-index',
    format_version: 1,
    created_at: '2026-11-26T00:00:00.000Z',
    tool_version: '0.0.0-test',
    counts: { chunks: FIXTURE_CHUNKS.length, documents: FIXTURE_CHUNKS.length, sources: 1, clusters: order.length, noise: 1, max_depth: 2 },
    dimension,
    dtype: 'float32',
    embedder: { id: `${provider}:${modelId}`, provider, model_id: modelId, dimensions: dimension, settings: {}, state_files: [] },
    files: {},
  };
  return corpusIndexFromData(
    {
      chunks: FIXTURE_CHUNKS.map((chunk) => chunk.text),
      metadata,
      embeddings,
      dimension,
      tree,
      centroids,
      assignment: {
        clusters: FIXTURE_CHUNKS.map((chunk) => chunk.cluster),
        noise: FIXTURE_CHUNKS.flatMap((chunk, idx) => (chunk.noise ? [idx] : [])),
      },
      stats: {},
      config: {},
      embedder: { provider, modelId, dimensions: dimension },
      documents: FIXTURE_CHUNKS.length,
      sources: 1,
    },
    { directory: options.directory ?? '/tmp/fixture-index', manifest },
  );
}

/** An annotation of a sentence at a given rank; the rest is filled with plausible values. */
function annotation(sentenceIndex: number, textSpan: string, rank: number, clusterName: string, distance: number, corpusStage: string | null = 'pretrain'): Annotation {
  return {
    textSpan,
    charStart: 0,
    charEnd: textSpan.length,
    sentenceIndex,
    clusterId: `0.${rank}`,
    clusterName,
    clusterDepth: 1,
    clusterPath: [clusterName],
    distance,
    rank,
    corpusStage,
    nearestChunkIdx: rank,
    nearestChunkText: `chunk of ${clusterName}`,
    isNoise: false,
  };
}

/** The seed's example output, with the annotations shuffled so order must come from sentenceIndex and rank. */
export function seedExample(): AnnotatedOutput {
  const first = 'The derivative of x^2 is 2x.';
  const second = 'This follows from the power rule.';
  return {
    prompt: null,
    text: `${first} ${second}`,
    annotations: [
      annotation(1, second, 3, 'Academic Writing', 0.18, 'sft'),
      annotation(0, first, 2, 'Mathematics Textbooks', 0.12),
      annotation(1, second, 1, 'Mathematics Textbooks', 0.12),
      annotation(0, first, 1, 'Calculus Education', 0.08, 'midtrain'),
      annotation(1, second, 2, 'Calculus Education', 0.14, 'midtrain'),
      annotation(0, first, 3, 'STEM Tutorials', 0.15, null),
    ],
    metadata: { timestamp: '2026-11-26T00:00:00.000Z', corpusIndexPath: '/idx', k: 3, phraseLevel: true, embedderId: 'mock:m' },
  };
}
