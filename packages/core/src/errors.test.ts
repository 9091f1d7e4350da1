import { describe, expect, it } from 'vitest';
import { checkSpecification } from './check-specification.js';
import {
  AbortedError,
  CorpusProximityError,
  EmbedderMismatchError,
  InvalidIndexError,
  InvalidInputError,
  PluginError,
  UnsupportedSpecificationError,
} from './errors.js';
import { createMockClusterer, createMockEmbedder, createMockNamer } from './test/index.js';

describe('errors', () => {
  it('recognizes its own errors, also across copies of core', () => {
    const error = new InvalidInputError('bad line', { file: 'a.jsonl', line: 3 });
    expect(CorpusProximityError.isInstance(error)).toBe(true);
    expect(error.file).toBe('a.jsonl');
    expect(error.line).toBe(3);
    const foreign = Object.assign(new Error('x'), { [Symbol.for('corpus-proximity.error')]: true });
    expect(CorpusProximityError.isInstance(foreign)).toBe(true);
    expect(CorpusProximityError.isInstance(new Error('plain'))).toBe(false);
    expect(new InvalidIndexError('missing', { directory: '/d', file: 'tree.json' }).code).toBe('invalid-index');
  });

  it("gives each subclass its own isInstance: one subclass's check never matches another's errors", () => {
    const errors = {
      InvalidInputError: new InvalidInputError('x'),
      InvalidIndexError: new InvalidIndexError('x', { directory: '/d' }),
      PluginError: new PluginError('p', 'x'),
      EmbedderMismatchError: new EmbedderMismatchError('x'),
      AbortedError: new AbortedError(),
      UnsupportedSpecificationError: new UnsupportedSpecificationError({ kind: 'embedder', specificationVersion: 'v9', supported: ['embedder-v1'] }),
    };
    const classes = { InvalidInputError, InvalidIndexError, PluginError, EmbedderMismatchError, AbortedError, UnsupportedSpecificationError };
    for (const [className, errorClass] of Object.entries(classes)) {
      for (const [errorName, error] of Object.entries(errors)) {
        expect(errorClass.isInstance(error), `${className}.isInstance(${errorName})`).toBe(className === errorName);
      }
      expect(errorClass.isInstance(new Error('plain'))).toBe(false);
    }
  });

  it('recognizes a subclass error made by another copy of core by its markers', () => {
    const foreign = Object.assign(new Error('x'), {
      [Symbol.for('corpus-proximity.error')]: true,
      [Symbol.for('corpus-proximity.error.invalid-input')]: true,
    });
    expect(InvalidInputError.isInstance(foreign)).toBe(true);
    expect(PluginError.isInstance(foreign)).toBe(false);
  });
});

describe('checkSpecification', () => {
  it('accepts the plugins core knows', () => {
    const embedder = createMockEmbedder();
    expect(checkSpecification('embedder', embedder)).toBe(embedder);
    expect(() => checkSpecification('clusterer', createMockClusterer())).not.toThrow();
    expect(() => checkSpecification('namer', createMockNamer())).not.toThrow();
  });

  it('refuses an unknown or missing specificationVersion with a clear error', () => {
    const future = { ...createMockEmbedder(), specificationVersion: 'embedder-v2' };
    let thrown: unknown;
    try {
      checkSpecification('embedder', future);
    } catch (error) {
      thrown = error;
    }
    expect(UnsupportedSpecificationError.isInstance(thrown)).toBe(true);
    expect((thrown as Error).message).toMatch(/embedder "mock:.*" declares specificationVersion "embedder-v2"; .*supports "embedder-v1"/);
    expect(() => checkSpecification('namer', { id: 'mine', doName: async () => ({ name: 'x' }) })).toThrow(/namer "mine" declares no specificationVersion/);
    expect(() => checkSpecification('clusterer', createMockNamer())).toThrow(/supports "clusterer-v1"/);
  });
});

describe('plugins handed to core are checked', () => {
  it('buildClusterTree and nameClusterTree refuse a plugin of an unknown specification', async () => {
    const { buildClusterTree } = await import('./tree/cluster-tree.js');
    const { nameClusterTree } = await import('./naming/name-cluster-tree.js');
    const vectors = new Float32Array([1, 0, 0, 1]);
    const oldClusterer = { ...createMockClusterer(), specificationVersion: 'clusterer-v0' };
    await expect(buildClusterTree(vectors, 2, oldClusterer as never, {})).rejects.toThrow(/clusterer "mock-kmeans" declares specificationVersion "clusterer-v0"/);
    const tree = (await buildClusterTree(vectors, 2, createMockClusterer(), {})).tree;
    await expect(nameClusterTree(tree, { namer: { ...createMockNamer(), specificationVersion: undefined } as never, chunks: ['a', 'b'] } as never)).rejects.toThrow(
      /namer "mock" declares no specificationVersion/,
    );
  });
});
