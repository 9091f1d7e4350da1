import { UnsupportedSpecificationError } from './errors.js';

/** The specificationVersion values this version of core accepts, per kind of plugin. */
export const SUPPORTED_SPECIFICATIONS = {
  embedder: ['embedder-v1'],
  clusterer: ['clusterer-v1'],
  namer: ['namer-v1'],
  'gpu-provider': ['gpu-provider-v1'],
} as const satisfies Record<string, readonly string[]>;

/** A kind of plugin core knows. */
export type PluginKind = keyof typeof SUPPORTED_SPECIFICATIONS;

/** Checks a plugin's specificationVersion when core is handed it; throws UnsupportedSpecificationError for one it does not know. */
export function checkSpecification<T>(kind: PluginKind, plugin: T): T {
  const supported: readonly string[] = SUPPORTED_SPECIFICATIONS[kind];
  const record = typeof plugin === 'object' && plugin !== null ? (plugin as Record<string, unknown>) : undefined;
  const version = record?.specificationVersion;
  if (typeof version === 'string' && supported.includes(version)) return plugin;
  const name = record && (record.id ?? record.providerId ?? (record.provider !== undefined ? `${String(record.provider)}:${String(record.modelId)}` : undefined));
  throw new UnsupportedSpecificationError({ kind, specificationVersion: version, supported, plugin: name === undefined ? undefined : String(name) });
}
