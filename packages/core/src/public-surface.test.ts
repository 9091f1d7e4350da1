import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import * as core from './index.js';
import * as internal from './internal.js';

// The public runtime surface of @corpus-proximity/core, sorted. Adding a name here is a deliberate API change;
// helpers that only our other packages need belong in src/internal.ts ('@corpus-proximity/core/internal').
const PUBLIC_RUNTIME_EXPORTS = [
  'AbortedError',
  'CorpusProximityError',
  'EmbedderMismatchError',
  'INDEX_FORMAT_VERSION',
  'InvalidIndexError',
  'InvalidInputError',
  'PluginError',
  'SUPPORTED_SPECIFICATIONS',
  'UnsupportedSpecificationError',
  'addSearchIndex',
  'buildClusterTree',
  'buildCorpusIndex',
  'calibrateCorpusIndex',
  'checkSpecification',
  'chunkDocuments',
  'chunkParagraphs',
  'chunkWordWindows',
  'corpusIndexFromData',
  'createTokenWindowSplitter',
  'loadCorpusIndex',
  'nameClusterTree',
  'readCorpus',
  'readIndexManifest',
  'renameClusterTree',
  'searchExact',
  'searchExactMany',
  'walkBreadthFirst',
  'writeCorpusIndex',
];

describe('public surface of @corpus-proximity/core', () => {
  it('exports exactly the listed runtime names', () => {
    expect(Object.keys(core).sort()).toEqual(PUBLIC_RUNTIME_EXPORTS);
  });

  it('keeps internal helpers out of the public index and behind ./internal', () => {
    for (const name of ['createRandom', 'decodeNpy', 'encodeNpy', 'writeFileAtomic', 'sha256File', 'INDEX_FILES', 'embedWithCheckpoints']) {
      expect(core, name).not.toHaveProperty(name);
      expect(typeof (internal as Record<string, unknown>)[name], name).not.toBe('undefined');
    }
    expect(internal.createRandom(7)()).toBe(internal.createRandom(7)());
    expect(internal.decodeNpy(internal.encodeNpy(new Float32Array([1, 2, 3, 4]), [2, 2]), 'test.npy').shape).toEqual([2, 2]);
  });

  it('shares no name between the public index and ./internal', () => {
    expect(Object.keys(internal).filter((name) => name in core)).toEqual([]);
  });

  it('publishes ./internal in the manifest and builds it', () => {
    const manifest = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8'));
    expect(manifest.exports['./internal']).toEqual({ types: './dist/internal.d.ts', import: './dist/internal.js', default: './dist/internal.js' });
    expect(readFileSync(new URL('../tsup.config.ts', import.meta.url), 'utf8')).toContain("internal: 'src/internal.ts'");
  });
});
