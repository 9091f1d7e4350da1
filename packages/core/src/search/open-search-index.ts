import { stat } from 'node:fs/promises';
import { join } from 'node:path';
import type { IndexManifest } from '../index-format/corpus-index.js';
import { InvalidIndexError } from '../errors.js';
import { INDEX_FILES } from '../index-format/index-files.js';
import { sha256File } from '../index-format/sha256-file.js';
import { loadUsearch, type UsearchModule } from './load-usearch.js';
import { createRerankedSearch, type RerankedSearch } from './rerank-search.js';
import { SEARCH_INDEX_FILE, type SearchIndexMetadata } from './search-index-metadata.js';

/** Options of openSearchIndex. */
export interface OpenSearchIndexOptions {
  /** Check the file's size and sha256 against manifest.json (default true). */
  verifyChecksums?: boolean;
  /** Search breadth ef; the value recorded at build time by default. Higher: better recall, slower. */
  expansionSearch?: number;
  /** Candidates re-ranked exactly, as a multiple of k; the recorded value by default. */
  rerankFactor?: number;
  /** The usearch module (tests); imported lazily by default. */
  usearch?: UsearchModule;
}

/** An opened HNSW search index: approximate-then-reranked search, and what manifest.json says about it. */
export interface OpenedSearchIndex extends RerankedSearch {
  readonly metadata: SearchIndexMetadata;
}

/** The command that (re)builds the search index of a folder, for error messages. */
export function buildSearchCommand(directory: string): string {
  return `corpus-proximity build-search --index ${directory}`;
}

/** True when manifest.json lists an HNSW search index. */
export function hasSearchIndex(manifest: IndexManifest): boolean {
  return manifest.search !== undefined && manifest.search.file in manifest.files;
}

/**
 * Memory-maps an index folder's HNSW file (usearch `view`) after checking that it is the one
 * manifest.json lists (size, sha256) and that it was built from these embeddings (count,
 * dimension, embeddings.npy checksum). Any mismatch throws an InvalidIndexError naming the file
 * and the build-search command that fixes it.
 */
export async function openSearchIndex(
  directory: string,
  manifest: IndexManifest,
  embeddings: Float32Array,
  options: OpenSearchIndexOptions = {},
): Promise<OpenedSearchIndex> {
  const rebuild = `Rebuild it with \`${buildSearchCommand(directory)}\`, or search exactly with --search exact.`;
  const metadata = manifest.search;
  const file = metadata?.file ?? SEARCH_INDEX_FILE;
  const path = join(directory, file);
  const fail = (message: string, cause?: unknown): never => {
    throw new InvalidIndexError(`${path}: ${message}`, { directory, file, cause });
  };
  if (metadata === undefined || !(file in manifest.files)) {
    fail(`this index has no approximate search index (manifest.json lists none). Build it with \`${buildSearchCommand(directory)}\`, or search exactly with --search exact.`);
  }
  const listed = manifest.files[file]!;
  const info = await stat(path).catch(() => undefined);
  if (info === undefined || !info.isFile()) fail(`missing (listed in manifest.json). ${rebuild}`);
  if ((options.verifyChecksums ?? true) && info!.size !== listed.bytes) {
    fail(`is ${info!.size} bytes but manifest.json says ${listed.bytes}: the file was truncated or changed after it was built. ${rebuild}`);
  }
  if (options.verifyChecksums ?? true) {
    const { sha256 } = await sha256File(path);
    if (sha256 !== listed.sha256) fail(`checksum mismatch (expected sha256 ${listed.sha256}, got ${sha256}): the file is corrupted or changed after it was built. ${rebuild}`);
  }
  const search = metadata!;
  if (search.metric !== 'ip' && search.metric !== 'cos') fail(`manifest.json's search.metric is ${JSON.stringify(search.metric)}; this version reads 'ip' or 'cos'. ${rebuild}`);
  const embeddingsSha256 = manifest.files[INDEX_FILES.embeddings]?.sha256;
  if (search.count !== manifest.counts.chunks || search.dimension !== manifest.dimension) {
    fail(`was built for ${search.count} vectors of dimension ${search.dimension}, but the index has ${manifest.counts.chunks} chunks of dimension ${manifest.dimension}. ${rebuild}`);
  }
  if (search.embeddings_sha256 !== embeddingsSha256) {
    fail(`was built from other embeddings (embeddings.npy sha256 ${search.embeddings_sha256}, now ${embeddingsSha256}): it is stale. ${rebuild}`);
  }

  const usearch = options.usearch ?? (await loadUsearch());
  const graph = new usearch.Index({
    dimensions: manifest.dimension,
    metric: search.metric,
    quantization: search.quantization,
    connectivity: search.connectivity,
    expansion_add: search.expansion_add,
    expansion_search: options.expansionSearch ?? search.expansion_search,
    multi: false,
  });
  try {
    graph.view(path);
  } catch (cause) {
    fail(`usearch could not map it (${(cause as Error).message}). ${rebuild}`, cause);
  }
  if (graph.size() !== manifest.counts.chunks || graph.dimensions() !== manifest.dimension) {
    fail(`holds ${graph.size()} vectors of dimension ${graph.dimensions()}, but the index has ${manifest.counts.chunks} chunks of dimension ${manifest.dimension}. ${rebuild}`);
  }
  const reranked = createRerankedSearch(graph, embeddings, manifest.dimension, options.rerankFactor ?? search.rerank_factor);
  return { metadata: search, search: reranked.search, searchMany: reranked.searchMany };
}
