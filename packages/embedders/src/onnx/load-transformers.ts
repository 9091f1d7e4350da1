import { PluginError } from '@corpus-proximity/core';

/** The parts of a transformers.js feature-extraction pipeline the ONNX embedder uses. */
export interface FeatureExtractor {
  (texts: string[], options: { pooling: 'cls' | 'mean'; normalize: boolean }): Promise<{ data: ArrayLike<number>; dims: number[] }>;
  tokenizer: { encode(text: string, options?: { add_special_tokens?: boolean }): number[]; model_max_length?: number };
  model: { config: { hidden_size?: number; max_position_embeddings?: number }; sessions?: Record<string, { inputNames?: readonly string[]; outputNames?: readonly string[] }> };
  dispose(): Promise<void>;
}

/** The parts of the `@huggingface/transformers` module the ONNX embedder uses (typed here, so our types never need it). */
export interface TransformersModule {
  env: {
    allowRemoteModels: boolean;
    allowLocalModels: boolean;
    localModelPath: string;
    useFSCache: boolean;
    cacheDir: string | null;
    fetch: (input: string | URL, init?: unknown) => Promise<unknown>;
  };
  pipeline(task: 'feature-extraction', model: string, options: { device: string; dtype: string; local_files_only?: boolean; session_options?: { logSeverityLevel?: number } }): Promise<FeatureExtractor>;
}

/** How to install what the ONNX embedders need. */
export const TRANSFORMERS_INSTALL_HINT =
  'install it next to corpus-proximity: `ONNXRUNTIME_NODE_INSTALL=skip pnpm add @huggingface/transformers@^4.3.1` (CPU), ' +
  'or with ONNXRUNTIME_NODE_INSTALL=cuda12 and onnxruntime-node allowed to run its install script for CUDA';

/** Imports `@huggingface/transformers` on first use; a missing package becomes a PluginError that says how to install it. */
export async function importTransformers(plugin: string): Promise<TransformersModule> {
  try {
    return (await import('@huggingface/transformers')) as unknown as TransformersModule;
  } catch (cause) {
    throw transformersImportError(plugin, cause);
  }
}

/** The error for a failed import of transformers.js: "install X to use Y" when it is missing, the cause otherwise. */
export function transformersImportError(plugin: string, cause: unknown): PluginError {
  const code = (cause as { code?: string } | null)?.code;
  const missing = code === 'ERR_MODULE_NOT_FOUND' || code === 'MODULE_NOT_FOUND';
  const reason = missing ? '@huggingface/transformers is not installed' : `@huggingface/transformers failed to load (${(cause as Error)?.message ?? String(cause)})`;
  return new PluginError(plugin, `${reason}; ${TRANSFORMERS_INSTALL_HINT}`, { cause });
}

let environmentLock: Promise<unknown> = Promise.resolve();

/** Runs `work` alone: transformers.js keeps its settings in one global `env`, so loads must not interleave. */
export function withTransformersEnvironment<T>(work: () => Promise<T>): Promise<T> {
  const result = environmentLock.then(work, work);
  environmentLock = result.catch(() => undefined);
  return result;
}
