import { InvalidInputError, type EmbedderV1 } from '@corpus-proximity/core';
import { createLsaEmbedder } from './lsa/create-lsa-embedder.js';
import { createArcticEmbedder, definedOnly } from './onnx/create-arctic-embedder.js';
import { createOnnxEmbedder, type OnnxEmbedderSettings } from './onnx/create-onnx-embedder.js';
import { createOpenAIEmbedder, type OpenAIEmbedderSettings } from './openai/create-openai-embedder.js';

/** The embedder fields an index manifest records. */
export interface EmbedderManifestInfo {
  provider: string;
  modelId: string;
  dimensions: number;
  settings: Record<string, unknown>;
}

/** Local choices that are not part of the index: where models live, which device, which key (by provider). */
export interface EmbedderOverrides {
  onnx?: Partial<OnnxEmbedderSettings>;
  openai?: Partial<OpenAIEmbedderSettings>;
  [provider: string]: Record<string, unknown> | undefined;
}

/** Settings a spec string such as `openai:text-embedding-3-small` is resolved with (the CLI's flags). */
export interface EmbedderSpecOptions {
  /** ONNX and Arctic: where to run the model (default cpu). */
  device?: 'cpu' | 'cuda' | 'auto';
  dtype?: 'fp32' | 'fp16' | 'q8';
  batchSize?: number;
  baseURL?: string;
  /** Dimensions the index expects (LSA: of a fresh, unfitted embedder; ONNX: checked against the model's hidden size when it loads). */
  dimensions?: number;
}

/** Rebuilds an embedder from an index's manifest entry and the files of its embedder/ folder. */
export type EmbedderFromManifest = (info: EmbedderManifestInfo, files: Record<string, Uint8Array>, overrides: EmbedderOverrides) => EmbedderV1;

/** Creates an embedder from the part of a spec string after `name:` (undefined for a bare `name`). */
export type EmbedderFromSpec = (argument: string | undefined, options: EmbedderSpecOptions) => EmbedderV1;

/** What a registered name can do: rebuild from a manifest whose provider is that name, and/or resolve a spec string. */
export interface EmbedderRegistration {
  fromManifest?: EmbedderFromManifest;
  fromSpec?: EmbedderFromSpec;
  /** One line for error messages and help, e.g. "openai:<model> (an OpenAI-compatible embeddings API)". */
  description?: string;
}

// One table per process, shared by every copy of this package (as the error markers are).
const REGISTRY_KEY = Symbol.for('corpus-proximity.embedder-registry');

/**
 * Lets indexes built with your own embedder be reopened by openIndex and the CLI: `provider` is the
 * embedder's `provider` field (as manifest.json records it). A function is the manifest factory;
 * an object may also resolve spec strings (`provider:argument`). A later registration replaces an earlier one.
 */
export function registerEmbedder(provider: string, registration: EmbedderFromManifest | EmbedderRegistration): void {
  if (!/^[\w.-]+$/.test(provider)) throw new InvalidInputError(`registerEmbedder: provider "${provider}" must be letters, digits, _, . or -`);
  userRegistrations().set(provider, typeof registration === 'function' ? { fromManifest: registration } : registration);
}

/** Every registered provider name (built-ins first), with what it can do. */
export function registeredEmbedders(): Array<{ provider: string; fromManifest: boolean; fromSpec: boolean; description?: string }> {
  const all = new Map<string, EmbedderRegistration>([...Object.entries(BUILT_INS), ...userRegistrations()]);
  return [...all].map(([provider, registration]) => ({
    provider,
    fromManifest: registration.fromManifest !== undefined,
    fromSpec: registration.fromSpec !== undefined,
    description: registration.description,
  }));
}

/** The registration of a provider: the user's if one was registered, else the built-in one. */
export function findEmbedderRegistration(provider: string): EmbedderRegistration | undefined {
  return userRegistrations().get(provider) ?? BUILT_INS[provider];
}

/**
 * An embedder from a spec string, as the CLI's `--embedder` / `--query-embedder` take it:
 * `arctic`, `onnx:<folder-or-model-id>`, `openai:<model>`, `lsa`, or `<your-provider>[:argument]`.
 */
export function embedderFromSpec(spec: string, options: EmbedderSpecOptions = {}): EmbedderV1 {
  const colon = spec.indexOf(':');
  const name = colon === -1 ? spec : spec.slice(0, colon);
  const argument = colon === -1 ? undefined : spec.slice(colon + 1);
  const registration = findEmbedderRegistration(name);
  if (!registration?.fromSpec) {
    const known = registeredEmbedders()
      .filter((entry) => entry.fromSpec)
      .map((entry) => entry.description ?? entry.provider);
    throw new InvalidInputError(`unknown embedder "${spec}"; registered: ${known.join(', ')}. Register your own with registerEmbedder(provider, { fromSpec }).`);
  }
  return registration.fromSpec(argument, options);
}

function userRegistrations(): Map<string, EmbedderRegistration> {
  const holder = globalThis as unknown as Record<symbol, Map<string, EmbedderRegistration> | undefined>;
  return (holder[REGISTRY_KEY] ??= new Map());
}

/** The argument of `name:argument`, or an error saying what belongs after the colon. */
function required(argument: string | undefined, name: string, what: string): string {
  if (!argument) throw new InvalidInputError(`embedder "${name}" needs ${what} after the colon, e.g. ${name}:${what === 'a model' ? 'text-embedding-3-small' : 'models/my-bert'}`);
  return argument;
}

function text(settings: Record<string, unknown>, key: string): string | undefined {
  const value = settings[key];
  return typeof value === 'string' ? value : undefined;
}

const BUILT_INS: Record<string, EmbedderRegistration> = {
  lsa: {
    description: 'lsa (offline TF-IDF + SVD, fitted on the corpus at index time)',
    fromManifest: (info, files) => createLsaEmbedder({ state: { settings: info.settings, files } }),
    fromSpec: (_argument, options) => createLsaEmbedder({ dimensions: options.dimensions ?? 256 }),
  },
  arctic: {
    description: 'arctic (Snowflake Arctic-Embed-L)',
    fromSpec: (_argument, options) => createArcticEmbedder({ device: options.device ?? 'cpu', ...definedOnly({ dtype: options.dtype, batchSize: options.batchSize }) }),
  },
  onnx: {
    description: 'onnx:<folder-or-model-id> (any BERT-like ONNX model)',
    // CPU by default: annotating is local work, and the index does not say which device built it.
    fromManifest: (info, _files, overrides) =>
      createOnnxEmbedder({
        model: text(info.settings, 'model') ?? info.modelId,
        dtype: text(info.settings, 'dtype') as OnnxEmbedderSettings['dtype'],
        pooling: text(info.settings, 'pooling') as OnnxEmbedderSettings['pooling'],
        queryPrefix: text(info.settings, 'queryPrefix'),
        documentPrefix: text(info.settings, 'documentPrefix'),
        dimensions: info.dimensions,
        modelId: info.modelId,
        device: 'cpu',
        ...definedOnly(overrides.onnx ?? {}),
      }),
    fromSpec: (argument, options) =>
      createOnnxEmbedder({
        model: required(argument, 'onnx', 'a model folder or id'),
        // CPU unless asked: embedding queries is local work.
        device: options.device ?? 'cpu',
        ...definedOnly({ dtype: options.dtype, batchSize: options.batchSize, dimensions: options.dimensions }),
      }),
  },
  openai: {
    description: 'openai:<model> (an OpenAI-compatible embeddings API)',
    fromManifest: (info, _files, overrides) =>
      createOpenAIEmbedder({
        model: text(info.settings, 'model') ?? info.modelId,
        baseURL: text(info.settings, 'baseURL'),
        dimensions: info.dimensions,
        queryPrefix: text(info.settings, 'queryPrefix'),
        documentPrefix: text(info.settings, 'documentPrefix'),
        ...definedOnly(overrides.openai ?? {}),
      }),
    fromSpec: (argument, options) =>
      createOpenAIEmbedder({ model: required(argument, 'openai', 'a model'), ...definedOnly({ baseURL: options.baseURL, maxEmbeddingsPerCall: options.batchSize }) }),
  },
};
