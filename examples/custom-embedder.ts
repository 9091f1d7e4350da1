/**
 * Write your own embedder: an EmbedderV1 object literal (here a character-trigram hashing
 * embedder: no weights, no fitting) run through buildCorpusIndex, then used to annotate.
 * Then a corpus-fitted variant (doFit + exportState) whose state the index stores, rebuilt from
 * the loaded index to embed queries in the same space.
 *
 * Run it (after `pnpm install && pnpm build`):
 *   cd examples && pnpm exec tsx custom-embedder.ts [work-folder]
 */
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { AbortedError, buildCorpusIndex, loadCorpusIndex, PluginError, type EmbedderState, type EmbedderV1, type IndexManifest } from '@corpus-proximity/core';
import { createUmapHdbscanClusterer } from '@corpus-proximity/clusterers';
import { createKeywordNamer } from '@corpus-proximity/namers';
import { annotateText, formatChess } from '@corpus-proximity/annotate';
import { wordNetTopics } from './wordnet-topics.js';

/**
 * A character-trigram hashing embedder: each trigram of " lowercased text " adds ±1 to one of
 * `dimensions` buckets (FNV-1a hash), and the vector is L2-normalized. Texts that share spelling
 * land close together; it knows nothing about meaning, which is the point of making it swappable.
 */
export function createTrigramEmbedder(dimensions = 256): EmbedderV1 {
  return {
    specificationVersion: 'embedder-v1',
    provider: 'char-trigram',
    modelId: `fnv1a-${dimensions}`,
    dimensions,
    // Used by token-window chunking; one "token" per character is a safe upper bound here.
    maxTokens: 100_000,
    maxEmbeddingsPerCall: 512,
    countTokens: (text) => text.length,
    async doEmbed({ values, abortSignal }) {
      if (abortSignal?.aborted) throw new AbortedError('char-trigram: embedding was aborted');
      // Queries and documents are embedded the same way (no query prefix).
      return { embeddings: values.map((text) => embedTrigrams(text, dimensions)) };
    },
  };
}

/**
 * A corpus-fitted variant: doFit learns an idf weight per bucket from the corpus (buckets that
 * every document has count little), exportState hands core the weights to store in the index, and
 * `createIdfTrigramEmbedder({ state })` restores the same embedder from a loaded index.
 */
export function createIdfTrigramEmbedder(settings: { dimensions?: number; state?: EmbedderState } = {}): EmbedderV1 {
  const dimensions = settings.state ? Number(settings.state.settings.dimensions) : (settings.dimensions ?? 256);
  let idf = settings.state ? decodeIdf(settings.state, dimensions) : undefined;
  return {
    specificationVersion: 'embedder-v1',
    provider: 'char-trigram-idf',
    modelId: `fnv1a-idf-${dimensions}`,
    dimensions,
    maxTokens: 100_000,
    maxEmbeddingsPerCall: 512,
    async doFit({ values }) {
      // buildCorpusIndex calls this once, with every chunk, before any doEmbed.
      const documentFrequency = new Float64Array(dimensions);
      for (const text of values) for (const bucket of new Set(trigramBuckets(text, dimensions))) documentFrequency[bucket]!++;
      idf = Float32Array.from(documentFrequency, (count) => Math.log((1 + values.length) / (1 + count)) + 1);
    },
    exportState() {
      if (!idf) throw new PluginError('char-trigram-idf', 'exportState called before doFit: fit the embedder on the corpus first');
      // settings go to manifest.json; files to the index's embedder/ folder.
      return { settings: { dimensions, format: 'idf-v1' }, files: { 'idf.json': new TextEncoder().encode(JSON.stringify(Array.from(idf))) } };
    },
    async doEmbed({ values }) {
      if (!idf) throw new PluginError('char-trigram-idf', 'doEmbed called before doFit: fit it on the corpus, or create it with { state } from an index');
      const weights = idf;
      return { embeddings: values.map((text) => embedTrigrams(text, dimensions, weights)) };
    },
  };
}

/** Options of the custom-embedder example. */
export interface CustomEmbedderExampleOptions {
  workDirectory: string;
  /** WordNet glosses per topic (default 100, four topics). */
  perTopic?: number;
  log?: (line: string) => void;
}

/** Indexes a small corpus with the trigram embedder, shows what the manifest recorded, and annotates one sentence. */
export async function main(options: CustomEmbedderExampleOptions) {
  const log = options.log ?? console.log;
  const workDirectory = resolve(options.workDirectory);
  await mkdir(workDirectory, { recursive: true });
  const corpusFile = join(workDirectory, 'corpus.jsonl');
  const { corpus } = wordNetTopics({ perTopic: options.perTopic ?? 100, seed: 3 });
  await writeFile(corpusFile, corpus.map((record) => JSON.stringify(record)).join('\n') + '\n');

  const embedder = createTrigramEmbedder(256);
  const indexDirectory = join(workDirectory, 'index');
  await buildCorpusIndex({
    inputs: [{ path: corpusFile }],
    output: indexDirectory,
    embedder,
    clusterer: createUmapHdbscanClusterer({ nComponents: 5, nEpochs: 100 }),
    namer: createKeywordNamer(),
    clustering: { maxDepth: 2 },
    seed: 3,
  });

  // The manifest records who made the vectors; annotate refuses a query embedder that differs.
  const manifest = JSON.parse(await readFile(join(indexDirectory, 'manifest.json'), 'utf8')) as IndexManifest;
  log(`manifest.json embedder: ${JSON.stringify(manifest.embedder)}`);

  // embedderFromManifest only knows the built-in providers: pass your own embedder to annotate.
  const index = await loadCorpusIndex(indexDirectory);
  const annotated = await annotateText(index, embedder, 'A sparrow is a small bird that eats seeds. Bread is baked in an oven.');
  log(formatChess(annotated));

  // The corpus-fitted variant: core calls doFit on the chunks, then stores exportState() in the index.
  const fittedDirectory = join(workDirectory, 'fitted-index');
  await buildCorpusIndex({
    inputs: [{ path: corpusFile }],
    output: fittedDirectory,
    embedder: createIdfTrigramEmbedder({ dimensions: 256 }),
    clusterer: createUmapHdbscanClusterer({ nComponents: 5, nEpochs: 100 }),
    namer: createKeywordNamer(),
    clustering: { maxDepth: 2 },
    seed: 3,
  });
  // Later, maybe in another process: rebuild the query embedder from the index alone.
  const fittedIndex = await loadCorpusIndex(fittedDirectory);
  log(`fitted index: embedder ${fittedIndex.manifest.embedder.id}, state files ${fittedIndex.manifest.embedder.state_files.join(', ')}`);
  const restored = createIdfTrigramEmbedder({ state: fittedIndex.embedder.state });
  const fittedAnnotated = await annotateText(fittedIndex, restored, 'A sparrow is a small bird that eats seeds.');
  log(formatChess(fittedAnnotated));
  return { indexDirectory, manifest, index, annotated, fittedIndex, fittedAnnotated };
}

/** The normalized (optionally weighted) trigram-count vector of one text (e₀ for a text without trigrams, never NaN). */
function embedTrigrams(text: string, dimensions: number, weights?: Float32Array): Float32Array {
  const vector = new Float32Array(dimensions);
  for (const hash of trigramHashes(text)) {
    const bucket = hash % dimensions;
    // One bit picks the sign, so collisions cancel out on average.
    vector[bucket]! += (hash & 0x80000000 ? -1 : 1) * (weights?.[bucket] ?? 1);
  }
  let norm = 0;
  for (const value of vector) norm += value * value;
  if (norm === 0) {
    vector[0] = 1;
    return vector;
  }
  const scale = 1 / Math.sqrt(norm);
  for (let d = 0; d < dimensions; d++) vector[d]! *= scale;
  return vector;
}

/** FNV-1a hashes of the character trigrams of " lowercased text ". */
function trigramHashes(text: string): number[] {
  const padded = ` ${text.toLowerCase().replace(/\s+/g, ' ').trim()} `;
  const hashes: number[] = [];
  for (let i = 0; i + 3 <= padded.length; i++) hashes.push(fnv1a(padded.slice(i, i + 3)));
  return hashes;
}

function trigramBuckets(text: string, dimensions: number): number[] {
  return trigramHashes(text).map((hash) => hash % dimensions);
}

/** The idf weights of a stored state, checked against the dimensions. */
function decodeIdf(state: EmbedderState, dimensions: number): Float32Array {
  const bytes = state.files['idf.json'];
  if (state.settings.format !== 'idf-v1' || !bytes) throw new PluginError('char-trigram-idf', 'the embedder state lacks idf.json or has another format; rebuild the index');
  const values = JSON.parse(new TextDecoder().decode(bytes)) as number[];
  if (values.length !== dimensions) throw new PluginError('char-trigram-idf', `idf.json has ${values.length} weights for ${dimensions} dimensions`);
  return Float32Array.from(values);
}

/** 32-bit FNV-1a hash of a string's UTF-16 code units. */
function fnv1a(text: string): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    hash ^= text.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  return hash;
}

// Run when executed directly; by default into the repository's out/ folder (git-ignored) (tsx custom-embedder.ts), not when imported by the tests.
if (process.argv[1] && import.meta.url === pathToFileURL(resolve(process.argv[1])).href) {
  await main({ workDirectory: process.argv[2] ?? fileURLToPath(new URL('../out/custom-embedder-example', import.meta.url)) });
}
