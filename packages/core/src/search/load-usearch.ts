import { PluginError } from '../errors.js';

/** The parts of a usearch `Index` the search index uses (typed here, so our types never need usearch). */
export interface UsearchIndex {
  add(keys: BigUint64Array, vectors: Float32Array, threads?: number): void;
  search(vectors: Float32Array, k: number, threads: number): { keys: BigUint64Array; distances: Float32Array; counts?: BigUint64Array };
  size(): number;
  dimensions(): number;
  connectivity(): number;
  save(path: string): void;
  view(path: string): void;
}

/** The parts of the `usearch` module the search index uses. */
export interface UsearchModule {
  Index: new (config: {
    dimensions: number;
    metric: 'ip' | 'cos';
    quantization: 'f16' | 'i8' | 'f32';
    connectivity: number;
    expansion_add: number;
    expansion_search: number;
    multi: boolean;
  }) => UsearchIndex;
}

/** How to install the optional HNSW library. */
export const USEARCH_INSTALL_HINT = 'install it next to corpus-proximity (`pnpm add usearch@^2.26`, or `npm install usearch@^2.26`), or search exactly (`--search exact`)';

const loaded = new Map<string, Promise<UsearchModule>>();

/**
 * Imports usearch on first use; a missing package becomes a PluginError that says how to install it.
 * `specifier` exists so the missing-package path can be tested; leave it at 'usearch'.
 */
export function loadUsearch(specifier = 'usearch'): Promise<UsearchModule> {
  let module = loaded.get(specifier);
  if (module === undefined) {
    module = import(specifier).then(
      (value: { default?: UsearchModule } & UsearchModule) => (typeof value.Index === 'function' ? value : value.default!),
      (cause: unknown) => {
        loaded.delete(specifier);
        const code = (cause as { code?: string } | null)?.code;
        const missing = code === 'ERR_MODULE_NOT_FOUND' || code === 'MODULE_NOT_FOUND';
        const reason = missing ? `${specifier} is not installed` : `${specifier} failed to load (${(cause as Error)?.message ?? String(cause)})`;
        throw new PluginError('usearch', `${reason}: the approximate (HNSW) search index needs it; ${USEARCH_INSTALL_HINT}`, { cause });
      },
    );
    loaded.set(specifier, module);
  }
  return module;
}
