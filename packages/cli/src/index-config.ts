import { readFile } from 'node:fs/promises';
import { UsageError } from './usage-error.js';

/** Settings of `corpus-proximity index`, as a --config JSON file holds them (flags win over the file). */
export interface IndexConfig {
  output?: string;
  /** Corpus inputs: paths, or { path, stage }. */
  inputs?: Array<string | { path: string; stage?: string }>;
  /** Stage of inputs that name none. Default "pretrain". */
  stage?: string;
  textField?: string;
  skipInvalid?: boolean;
  seed?: number;
  maxChunks?: number;
  /** "lsa" (default, offline), "arctic", "onnx:<folder-or-model-id>", "openai:<model>". */
  embedder?: string;
  /** ONNX embedders: cpu, cuda or auto. */
  device?: 'cpu' | 'cuda' | 'auto';
  /** ONNX embedders: model weights fp32, fp16 or q8. */
  dtype?: 'fp32' | 'fp16' | 'q8';
  /** Texts per embedding call. */
  batchSize?: number;
  /** Checkpoint embeddings every N chunks (resume after a crash). */
  checkpointEvery?: number;
  /** Base URL of an OpenAI-compatible embeddings API. */
  embeddingBaseUrl?: string;
  /** Fit the tree on a sample of N chunks and route the rest down the tree; 'all' or 'auto' (default: a 200,000-chunk sample above 200,000 chunks). */
  fitSample?: number | 'all' | 'auto';
  /** Dimensions of the LSA embedder. Default 256. */
  dimensions?: number;
  chunking?: { strategy?: 'paragraph' | 'words' | 'tokens'; maxChars?: number; windowWords?: number; overlapWords?: number; maxTokens?: number; overlap?: number };
  clustering?: {
    maxDepth?: number;
    basePct?: number;
    decay?: number;
    silhouetteThreshold?: number;
    minSamples?: number;
    /** 'layers' (default): one base clustering agglomerated into nested levels; 'recursive': the seed-004 rules. */
    tree?: 'layers' | 'recursive';
    /** Layered tree: children per split, or 'auto'. */
    branching?: number | 'auto';
    /** Layered tree: base clusterings (seeds) whose agreement makes the fragments. */
    consensusRuns?: number;
    /** Layered tree: min_cluster_size of the base clustering, or 'auto'. */
    baseMinClusterSize?: number | 'auto';
  };
  umap?: { nComponents?: number; nNeighbors?: number; minDist?: number };
  /** HDBSCAN cluster selection: 'eom' (excess of mass, the default) or 'leaf' (finer, more even clusters). */
  hdbscan?: { clusterSelectionMethod?: 'eom' | 'leaf'; clusterSelectionEpsilon?: number; fragments?: 'fall-out' | 'shrink' };
  /** "keywords" (default, offline). */
  namer?: string;
  naming?: { concurrency?: number; samplesPerCluster?: number };
  /** Element type of embeddings.npy. */
  embeddingsDtype?: 'float32' | 'float16';
}

const shape: Record<string, string | Record<string, string>> = {
  output: 'string',
  inputs: 'array',
  stage: 'string',
  textField: 'string',
  skipInvalid: 'boolean',
  seed: 'number',
  maxChunks: 'number',
  embedder: 'string',
  device: 'string',
  dtype: 'string',
  batchSize: 'number',
  checkpointEvery: 'number',
  embeddingBaseUrl: 'string',
  fitSample: 'number|string',
  dimensions: 'number',
  chunking: { strategy: 'string', maxChars: 'number', windowWords: 'number', overlapWords: 'number', maxTokens: 'number', overlap: 'number' },
  clustering: { maxDepth: 'number', basePct: 'number', decay: 'number', silhouetteThreshold: 'number', minSamples: 'number', tree: 'string', branching: 'number|string', consensusRuns: 'number', baseMinClusterSize: 'number|string' },
  umap: { nComponents: 'number', nNeighbors: 'number', minDist: 'number' },
  hdbscan: { clusterSelectionMethod: 'string', clusterSelectionEpsilon: 'number', fragments: 'string' },
  namer: 'string',
  naming: { concurrency: 'number', samplesPerCluster: 'number' },
  embeddingsDtype: 'string',
};

/** Reads and checks a --config file: unknown keys and wrong types are errors that name the key. */
export async function readIndexConfig(path: string): Promise<IndexConfig> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch {
    throw new UsageError(`--config ${path}: cannot read the file; check the path (presets live in configs/: quick-test.json, default.json)`);
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw new UsageError(`--config ${path}: not valid JSON (${(error as Error).message})`);
  }
  checkShape(value, shape, path, '');
  return value as IndexConfig;
}

function checkShape(value: unknown, expected: Record<string, string | Record<string, string>>, file: string, prefix: string): void {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new UsageError(`--config ${file}: ${prefix || 'the file'} must be a JSON object`);
  }
  for (const [key, item] of Object.entries(value)) {
    if (key.startsWith('$') || key === 'description') continue;
    const kind = expected[key];
    const where = `${prefix}${key}`;
    if (kind === undefined) {
      throw new UsageError(`--config ${file}: unknown key "${where}"; known keys: ${Object.keys(expected).join(', ')}`);
    }
    if (typeof kind === 'object') {
      checkShape(item, kind, file, `${where}.`);
      continue;
    }
    const actual = Array.isArray(item) ? 'array' : typeof item;
    if (!kind.split('|').includes(actual)) throw new UsageError(`--config ${file}: "${where}" must be a ${kind.replace('|', ' or ')}, got ${actual}`);
  }
}
