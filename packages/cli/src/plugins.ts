import type { ClustererV1, EmbedderV1, NamerV1 } from '@corpus-proximity/core';
import { createUmapHdbscanClusterer } from '@corpus-proximity/clusterers';
import { createArcticEmbedder, createLsaEmbedder, createOnnxEmbedder, createOpenAIEmbedder } from '@corpus-proximity/embedders';
import { createKeywordNamer, createOpenAINamer } from '@corpus-proximity/namers';
import { homedir } from 'node:os';
import { join } from 'node:path';
import type { IndexConfig } from './index-config.js';
import { UsageError } from './usage-error.js';

/** Device, model dtype, batch size and base URL for the embedder, from flags or config. */
export interface EmbedderFlags {
  device?: 'cpu' | 'cuda' | 'auto';
  dtype?: 'fp32' | 'fp16' | 'q8';
  batchSize?: number;
  baseURL?: string;
  /** Vector size of an onnx:/openai: model (--dimensions); LSA takes config.dimensions. */
  dimensions?: number;
  /** Timeout of one API request in milliseconds (--request-timeout). */
  timeoutMs?: number;
}

/** The embedder an `--embedder` name stands for: lsa, arctic, onnx:<folder-or-model-id>, openai:<model>. */
export function resolveEmbedder(name: string, config: IndexConfig, flags: EmbedderFlags = {}): EmbedderV1 {
  const onnx = { device: flags.device, dtype: flags.dtype, batchSize: flags.batchSize };
  if (name === 'lsa') return createLsaEmbedder({ dimensions: config.dimensions ?? 256 });
  if (name === 'arctic') return createArcticEmbedder(onnx);
  if (name.startsWith('onnx:') && name.length > 'onnx:'.length) return createOnnxEmbedder({ model: name.slice('onnx:'.length), ...onnx, ...(flags.dimensions !== undefined ? { dimensions: flags.dimensions } : {}) });
  if (name.startsWith('openai:') && name.length > 'openai:'.length) {
    return createOpenAIEmbedder({ model: name.slice('openai:'.length), baseURL: flags.baseURL, maxEmbeddingsPerCall: flags.batchSize, dimensions: flags.dimensions, timeoutMs: flags.timeoutMs });
  }
  throw new UsageError(
    `--embedder ${name}: unknown embedder; available: lsa (offline TF-IDF + SVD), arctic (Snowflake Arctic-Embed-L), onnx:<folder-or-model-id> (any BERT-like ONNX model), openai:<model> (an OpenAI-compatible embeddings API)`,
  );
}

/** Checks a --device value. */
export function parseDevice(value: string | undefined): EmbedderFlags['device'] {
  if (value === undefined || value === 'cpu' || value === 'cuda' || value === 'auto') return value;
  throw new UsageError(`--device ${value}: expected cpu, cuda or auto`);
}

/** Checks a --dtype value. */
export function parseModelDtype(value: string | undefined): EmbedderFlags['dtype'] {
  if (value === undefined || value === 'fp32' || value === 'fp16' || value === 'q8') return value;
  throw new UsageError(`--dtype ${value}: expected fp32, fp16 or q8`);
}

/** The clusterer for the index command (UMAP + HDBSCAN with the config's UMAP settings). */
export function resolveClusterer(config: IndexConfig): ClustererV1 {
  const method = config.hdbscan?.clusterSelectionMethod;
  if (method !== undefined && method !== 'eom' && method !== 'leaf') throw new UsageError(`hdbscan.clusterSelectionMethod "${String(method)}": expected "eom" or "leaf"`);
  const fragments = config.hdbscan?.fragments;
  if (fragments !== undefined && fragments !== 'fall-out' && fragments !== 'shrink') throw new UsageError(`hdbscan.fragments "${String(fragments)}": expected "fall-out" or "shrink"`);
  return createUmapHdbscanClusterer({ ...config.umap, ...config.hdbscan });
}

/** Settings for LLM naming from flags or config. */
export interface NamingFlags {
  baseURL?: string;
  concurrency?: number;
  cacheDirectory?: string;
  /** Timeout of one naming request in milliseconds (--request-timeout). */
  timeoutMs?: number;
}

/** Where LLM names are cached between runs: $XDG_CACHE_HOME/corpus-proximity/naming or ~/.cache/…. */
export function defaultNamingCacheDirectory(): string {
  return join(process.env.XDG_CACHE_HOME || join(homedir(), '.cache'), 'corpus-proximity', 'naming');
}

/** The namer a `--namer` name stands for: `keywords`, or `openai:<model>` for any OpenAI-compatible server. */
export function resolveNamer(name: string, flags: NamingFlags = {}): NamerV1 {
  if (name === 'keywords') return createKeywordNamer();
  if (name.startsWith('openai:')) {
    const model = name.slice('openai:'.length);
    if (!model) throw new UsageError('--namer openai:<model>: give a model name, e.g. openai:gpt-4o-mini or openai:llama3.1 for Ollama');
    return createOpenAINamer({
      model,
      baseURL: flags.baseURL,
      concurrency: flags.concurrency,
      cacheDirectory: flags.cacheDirectory ?? defaultNamingCacheDirectory(),
      ...(flags.timeoutMs !== undefined ? { timeoutMs: flags.timeoutMs } : {}),
    });
  }
  throw new UsageError(`--namer ${name}: unknown namer; available: keywords (offline class-based TF-IDF), openai:<model> (any OpenAI-compatible server)`);
}
