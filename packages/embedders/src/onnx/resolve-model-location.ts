import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { basename, isAbsolute, join, resolve } from 'node:path';
import { PluginError } from '@corpus-proximity/core';

/** Where a model comes from: a local folder (absolute path) or a Hugging Face Hub id. */
export interface ModelLocation {
  /** What to hand to transformers.js: the absolute folder, or the hub id. */
  id: string;
  local: boolean;
}

const dtypeFiles = { fp32: 'model.onnx', fp16: 'model_fp16.onnx', q8: 'model_quantized.onnx' } as const;

/**
 * Finds a model: a path (absolute, or starting with "."), a hub id under `localModelPath`,
 * a folder relative to the working directory, or else the hub id itself (remote).
 */
export function resolveModelLocation(model: string, localModelPath: string | undefined): ModelLocation {
  if (isAbsolute(model) || model.startsWith('.')) return { id: resolve(model), local: true };
  if (localModelPath) {
    const candidate = resolve(localModelPath, model);
    if (existsSync(join(candidate, 'config.json'))) return { id: candidate, local: true };
  }
  if (existsSync(join(resolve(model), 'config.json'))) return { id: resolve(model), local: true };
  return { id: model, local: false };
}

/** Checks that a local model folder has what transformers.js needs for `dtype`; throws a PluginError naming what is missing. */
export function checkLocalModel(plugin: string, folder: string, dtype: keyof typeof dtypeFiles): void {
  const required = ['config.json', 'tokenizer.json', 'tokenizer_config.json', `onnx/${dtypeFiles[dtype]}`];
  const missing = required.filter((file) => !existsSync(join(folder, file)));
  if (missing.length === 0) return;
  const present = existsSync(join(folder, 'onnx')) ? readdirSync(join(folder, 'onnx')).filter((file) => file.endsWith('.onnx')) : [];
  throw new PluginError(
    plugin,
    `model folder ${folder} lacks ${missing.join(', ')}` +
      (present.length > 0 ? ` (onnx/ has ${present.join(', ')}; dtype fp32 → model.onnx, fp16 → model_fp16.onnx, q8 → model_quantized.onnx)` : '') +
      '; download the model with its onnx/ folder, or point `model`/`localModelPath` at the right place',
  );
}

/** hidden_size from a local model's config.json, or undefined when the model is not local or says nothing. */
export function readLocalHiddenSize(location: ModelLocation): number | undefined {
  if (!location.local) return undefined;
  try {
    const config = JSON.parse(readFileSync(join(location.id, 'config.json'), 'utf8')) as { hidden_size?: unknown };
    return typeof config.hidden_size === 'number' ? config.hidden_size : undefined;
  } catch {
    return undefined;
  }
}

/** The model id to record in an index: the hub id, or the folder name of a local path. */
export function modelIdOf(model: string): string {
  return isAbsolute(model) || model.startsWith('.') ? basename(resolve(model)) : model;
}

/** How an index records a model: a hub id as is, a path (absolute, or starting with ".") made absolute. */
export function modelReference(model: string): string {
  return isAbsolute(model) || model.startsWith('.') ? resolve(model) : model;
}
