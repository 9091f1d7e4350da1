import type { Options } from 'tsup';

/** The build every package shares: ESM with type declarations and source maps. */
export function packageBuild(overrides: Options = {}): Options {
  return { entry: ['src/index.ts'], format: ['esm'], dts: true, sourcemap: true, clean: true, ...overrides };
}
