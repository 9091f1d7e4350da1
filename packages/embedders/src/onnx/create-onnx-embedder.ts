import { resolve } from 'node:path';
import { cudaAvailability, nvidiaGpuPresent } from './cuda-availability.js';
import { AbortedError, PluginError, type EmbedderState, type EmbedderV1 } from '@corpus-proximity/core';
import { importTransformers, withTransformersEnvironment, type FeatureExtractor, type TransformersModule } from './load-transformers.js';
import { checkLocalModel, modelIdOf, modelReference, readLocalHiddenSize, resolveModelLocation, type ModelLocation } from './resolve-model-location.js';

/** Settings of {@link createOnnxEmbedder}. */
export interface OnnxEmbedderSettings {
  /** A Hugging Face Hub id ("Snowflake/snowflake-arctic-embed-l") or a local model folder. */
  model: string;
  /** 'auto' (default) tries CUDA and falls back to CPU with a warning; 'cuda' fails with install instructions instead. */
  device?: 'cpu' | 'cuda' | 'auto';
  /** Weights file: fp32 → onnx/model.onnx (default), fp16 → model_fp16.onnx, q8 → model_quantized.onnx. */
  dtype?: 'fp32' | 'fp16' | 'q8';
  /** Texts per forward pass (default 32). */
  batchSize?: number;
  /** Pooling of the last hidden state (default 'cls'); transformers.js never reads it from the model, so it is always passed. */
  pooling?: 'cls' | 'mean';
  /** Vectors are always L2-normalized. */
  normalize?: true;
  /** Prepended to queries only (Arctic-Embed: "Represent this sentence for searching relevant passages: "). */
  queryPrefix?: string;
  /** Prepended to documents only (default none). */
  documentPrefix?: string;
  /** Folder that holds `<org>/<name>/` model folders, looked at before the hub. */
  localModelPath?: string;
  /** May a hub id be downloaded when it is not found locally (default true)? Local folders never touch the network. */
  allowRemoteModels?: boolean;
  /** Download cache for hub models (transformers.js's default when unset). */
  cacheDir?: string;
  /** Expected dimensions: known before loading, checked after. */
  dimensions?: number;
  /** The model id to record in an index (default: the hub id, or a local folder's name). */
  modelId?: string;
  /** fetch used for hub downloads (tests pass one that throws). */
  fetch?: (input: string | URL, init?: unknown) => Promise<unknown>;
  /** Receives warnings such as the CPU fallback (default: `process.emitWarning`). */
  onWarning?: (message: string) => void;
}

/** An embedder running a BERT-like ONNX model through transformers.js and onnxruntime-node. */
export interface OnnxEmbedder extends EmbedderV1 {
  /** Loads model and tokenizer (done by the first doEmbed); needed before countTokens. */
  load(): Promise<void>;
  /** The device the model runs on, once loaded. */
  readonly device: 'cpu' | 'cuda' | undefined;
  /** Content tokens of a text (special tokens not counted); needs `load()` first. */
  countTokens(text: string): number;
  /** Settings to recreate this embedder from an index (no files). */
  exportState(): EmbedderState;
  /** Frees the ONNX session. */
  dispose(): Promise<void>;
}

const CUDA_HINT =
  "onnxruntime-node needs its CUDA build and the CUDA 12 + cuDNN 9 libraries: reinstall with ONNXRUNTIME_NODE_INSTALL=cuda12 and let onnxruntime-node run its install script (pnpm: add it to pnpm.onlyBuiltDependencies or run `pnpm approve-builds`), put the CUDA libraries on LD_LIBRARY_PATH, or use device: 'cpu'";

/** Creates an embedder for any BERT-like ONNX model (CLS or mean pooling, normalized). No I/O until first use. */
export function createOnnxEmbedder(settings: OnnxEmbedderSettings): OnnxEmbedder {
  const plugin = 'onnx';
  const batchSize = settings.batchSize ?? 32;
  if (!Number.isInteger(batchSize) || batchSize < 1) throw new PluginError(plugin, `batchSize must be a positive integer, got ${String(settings.batchSize)}`);
  const dtype = settings.dtype ?? 'fp32';
  const pooling = settings.pooling ?? 'cls';
  const warn = settings.onWarning ?? ((message: string) => process.emitWarning(message, 'CorpusProximityWarning'));
  let location: ModelLocation | undefined;
  const where = () => (location ??= resolveModelLocation(settings.model, settings.localModelPath));
  let loading: Promise<FeatureExtractor> | undefined;
  let extractor: FeatureExtractor | undefined;
  let device: 'cpu' | 'cuda' | undefined;
  let dimensions: number | undefined;

  const load = () =>
    (loading ??= (async () => {
      const transformers = await importTransformers(plugin);
      const target = where();
      if (target.local) checkLocalModel(plugin, target.id, dtype);
      else if (settings.allowRemoteModels === false) {
        throw new PluginError(
          plugin,
          `model ${settings.model} is not in ${settings.localModelPath ? `localModelPath (${resolve(settings.localModelPath, settings.model)})` : 'a local folder'} and allowRemoteModels is false; download it there (with its onnx/ folder) or allow remote models`,
        );
      }
      const loaded = await withTransformersEnvironment(() => withEnvironment(transformers, target, () => open(transformers, target)));
      const hidden = loaded.model.config.hidden_size;
      if (settings.dimensions !== undefined && hidden !== undefined && hidden !== settings.dimensions) {
        await loaded.dispose();
        throw new PluginError(plugin, `model ${settings.model} has hidden size ${hidden}, but dimensions ${settings.dimensions} were expected`);
      }
      dimensions = hidden ?? settings.dimensions;
      extractor = loaded;
      return loaded;
    })().catch((error: unknown) => {
      loading = undefined;
      throw error;
    }));

  const withEnvironment = async <T>(transformers: TransformersModule, target: ModelLocation, work: () => Promise<T>): Promise<T> => {
    const env = transformers.env;
    const saved = { ...env };
    env.allowLocalModels = true;
    env.allowRemoteModels = !target.local && settings.allowRemoteModels !== false;
    // A stale file cache is consulted before localModelPath: never use it for local models.
    env.useFSCache = !target.local;
    if (settings.localModelPath) env.localModelPath = resolve(settings.localModelPath) + '/';
    if (settings.cacheDir) env.cacheDir = settings.cacheDir;
    if (settings.fetch) env.fetch = settings.fetch;
    try {
      return await work();
    } finally {
      Object.assign(env, { allowLocalModels: saved.allowLocalModels, allowRemoteModels: saved.allowRemoteModels, useFSCache: saved.useFSCache, localModelPath: saved.localModelPath, cacheDir: saved.cacheDir, fetch: saved.fetch });
    }
  };

  const open = async (transformers: TransformersModule, target: ModelLocation): Promise<FeatureExtractor> => {
    const attempt = async (on: 'cpu' | 'cuda') => {
      const loaded = await transformers.pipeline('feature-extraction', target.id, { device: on, dtype, local_files_only: target.local });
      checkSignature(loaded, target.id);
      return loaded;
    };
    const requested = settings.device ?? 'auto';
    // 'auto' on a machine without an NVIDIA GPU is simply the CPU: no probe, no warning.
    const gpu = requested !== 'auto' || nvidiaGpuPresent();
    const cuda = requested === 'auto' ? (gpu ? cudaAvailability() : 'no NVIDIA GPU') : 'unknown';
    // Without the CUDA provider library the probe can only fail (and onnxruntime prints it to stderr): skip it.
    if (requested === 'auto' && gpu && cuda !== 'unknown') warn(`onnx: a GPU is present but ${cuda}; running ${settings.model} on the CPU (pass --device cpu to silence this; GPU setup: docs/embedders/onnx.md)`);
    if (requested === 'cuda' || (requested === 'auto' && cuda === 'unknown')) {
      try {
        const result = await attempt('cuda');
        device = 'cuda';
        return result;
      } catch (cause) {
        if (PluginError.isInstance(cause)) throw cause;
        const message = (cause as Error)?.message ?? String(cause);
        if (requested === 'cuda') throw new PluginError(plugin, `device 'cuda' is not usable for ${settings.model} (${message}); ${CUDA_HINT}`, { cause });
        warn(`onnx: CUDA is not usable (${message.split('\n')[0]}); running ${settings.model} on the CPU. ${CUDA_HINT}`);
      }
    }
    let result: FeatureExtractor;
    try {
      result = await attempt('cpu');
      device = 'cpu';
    } catch (cause) {
      if (PluginError.isInstance(cause)) throw cause;
      const remote = target.local
        ? ''
        : `; it is not a local folder${settings.localModelPath ? ` nor under ${resolve(settings.localModelPath)}` : ''}, so it was looked up on the Hugging Face Hub: check the id and the network, or download it and set localModelPath`;
      throw new PluginError(plugin, `could not load model ${target.id} (${(cause as Error)?.message ?? String(cause)})${remote}`, { cause });
    }
    return result;
  };

  // A BERT-like encoder takes input_ids + attention_mask and gives last_hidden_state; say so before a cryptic failure.
  const checkSignature = (loaded: FeatureExtractor, id: string) => {
    const session = loaded.model.sessions?.model;
    if (!session?.inputNames || !session.outputNames) return;
    const missingInputs = ['input_ids', 'attention_mask'].filter((name) => !session.inputNames!.includes(name));
    const hasOutput = session.outputNames.some((name) => name === 'last_hidden_state' || name === 'token_embeddings');
    if (missingInputs.length > 0 || !hasOutput) {
      throw new PluginError(
        plugin,
        `model ${id} has inputs [${session.inputNames.join(', ')}] and outputs [${session.outputNames.join(', ')}]; a BERT-like encoder needs inputs input_ids and attention_mask (int64 [batch, sequence], token_type_ids optional) and an output last_hidden_state (float32 [batch, sequence, hidden])`,
      );
    }
  };

  return {
    specificationVersion: 'embedder-v1',
    provider: plugin,
    modelId: settings.modelId ?? modelIdOf(settings.model),
    get dimensions() {
      const known = dimensions ?? settings.dimensions ?? readLocalHiddenSize(where());
      if (known === undefined) throw new PluginError(plugin, `dimensions of ${settings.model} are unknown until it is loaded: await embedder.load(), or pass dimensions`);
      return known;
    },
    get maxTokens() {
      const limit = extractor?.tokenizer.model_max_length;
      // Two places go to [CLS] and [SEP]; countTokens counts content tokens only.
      return (limit !== undefined && limit > 2 && limit <= 100_000 ? limit : 512) - 2;
    },
    maxEmbeddingsPerCall: batchSize * 8,
    get device() {
      return device;
    },
    load: async () => {
      await load();
    },
    countTokens(text) {
      if (!extractor) throw new PluginError(plugin, `countTokens needs the tokenizer of ${settings.model}: await embedder.load() first`);
      return extractor.tokenizer.encode(text, { add_special_tokens: false }).length;
    },
    exportState() {
      // A hub id as is; a local folder as an absolute path, so the same machine finds it again.
      const stored: Record<string, unknown> = { model: modelReference(settings.model), dtype, pooling };
      if (settings.queryPrefix) stored.queryPrefix = settings.queryPrefix;
      if (settings.documentPrefix) stored.documentPrefix = settings.documentPrefix;
      return { settings: stored, files: {} };
    },
    async dispose() {
      const current = extractor;
      extractor = undefined;
      loading = undefined;
      await current?.dispose();
    },
    async doEmbed({ values, inputType, abortSignal }) {
      if (values.length === 0) return { embeddings: [] };
      const model = await load();
      const prefix = (inputType === 'query' ? settings.queryPrefix : settings.documentPrefix) ?? '';
      const embeddings: Float32Array[] = [];
      for (let start = 0; start < values.length; start += batchSize) {
        if (abortSignal?.aborted) throw new AbortedError('onnx: embedding was aborted');
        const batch = values.slice(start, start + batchSize).map((text) => prefix + text);
        const output = await model(batch, { pooling, normalize: true });
        const width = output.dims[output.dims.length - 1]!;
        if (output.dims.length !== 2 || output.dims[0] !== batch.length || width !== dimensions) {
          throw new PluginError(plugin, `${settings.model} returned shape [${output.dims.join(', ')}] for ${batch.length} texts; expected [${batch.length}, ${String(dimensions)}]`);
        }
        for (let row = 0; row < batch.length; row++) {
          const vector = Float32Array.from({ length: width }, (_, d) => output.data[row * width + d]!);
          if (!vector.every(Number.isFinite)) throw new PluginError(plugin, `${settings.model} produced a non-finite vector for input ${start + row}`);
          embeddings.push(vector);
        }
      }
      return { embeddings };
    },
  };
}
