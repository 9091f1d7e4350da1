import { listPresets, resolveConfigPath } from './resolve-config-path.js';
import { readFile } from 'node:fs/promises';
import { checkIndexSettings } from './config-schema.js';
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
  /** Seconds before one embeddings or naming API request is given up (then retried, then reported). Default 60. */
  requestTimeout?: number;
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
  umap?: { nComponents?: number; nNeighbors?: number; minDist?: number; initIterations?: number; knnOversampling?: number };
  /** HDBSCAN cluster selection: 'eom' (excess of mass, the default) or 'leaf' (finer, more even clusters). */
  hdbscan?: { clusterSelectionMethod?: 'eom' | 'leaf'; clusterSelectionEpsilon?: number; fragments?: 'fall-out' | 'shrink' };
  /** "keywords" (default, offline). */
  namer?: string;
  naming?: { concurrency?: number; samplesPerCluster?: number };
  /** Element type of embeddings.npy. */
  embeddingsDtype?: 'float32' | 'float16';
}

/** Reads and checks a --config file against the schema (config-schema.ts): unknown keys, wrong types and out-of-range values are errors that name the key. */
export async function readIndexConfig(path: string): Promise<IndexConfig> {
  let text: string;
  try {
    text = await readFile(await resolveConfigPath(path), 'utf8');
  } catch {
    const presets = await listPresets();
    throw new UsageError(`--config ${path}: cannot read the file; check the path, or name a preset shipped with the CLI (${presets.join(', ') || 'none found'})`);
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw new UsageError(`--config ${path}: not valid JSON (${(error as Error).message})`);
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw new UsageError(`--config ${path}: the file must hold a JSON object { … }`);
  value = withoutCommentKeys(value);
  const problems = checkIndexSettings(value, (key) => `field ${key}`);
  if (problems.length > 0) throw new UsageError(`--config ${path}: ${problems.join('; ')} (see docs/configuration.md, or point "$schema" at configs/schema.json for your editor)`);
  return value as IndexConfig;
}

// Keys starting with "$" (other than $schema) are comments, at any level.
function withoutCommentKeys(value: unknown): unknown {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return value;
  return Object.fromEntries(Object.entries(value).filter(([key]) => key === '$schema' || !key.startsWith('$')).map(([key, item]) => [key, withoutCommentKeys(item)]));
}
