import { join } from 'node:path';
import type { IndexManifest } from '../index-format/corpus-index.js';
import { InvalidIndexError } from '../errors.js';
import { INDEX_FILES } from '../index-format/index-files.js';
import { loadCorpusIndex } from '../index-format/load-corpus-index.js';
import type { ProgressListener } from '../types.js';
import { writeFileAtomic } from '../index-format/write-file-atomic.js';
import { buildSearchIndex } from './build-search-index.js';
import type { UsearchModule } from './load-usearch.js';
import { SEARCH_INDEX_FILE, type SearchIndexMetadata, type SearchIndexSettings } from './search-index-metadata.js';

/** Options of writeSearchIndex and addSearchIndex. */
export interface WriteSearchIndexOptions {
  settings?: Partial<SearchIndexSettings>;
  onProgress?: ProgressListener;
  abortSignal?: AbortSignal;
  /** The usearch module (tests); imported lazily by default. */
  usearch?: UsearchModule;
}

/** What writing a search index changed: the new manifest and stats, and how long the build took. */
export interface WriteSearchIndexResult {
  manifest: IndexManifest;
  stats: Record<string, unknown>;
  metadata: SearchIndexMetadata;
  buildMs: number;
}

/**
 * Builds the HNSW search index of a written index folder from its embeddings, then records it:
 * search.usearch, stats.json's `search` (recall@10 and settings) and manifest.json's `search` and
 * `files` entries (manifest last, so the old manifest stays in force until the new files are whole).
 */
export async function writeSearchIndex(
  directory: string,
  index: { embeddings: Float32Array; dimension: number; manifest: IndexManifest; stats: Record<string, unknown> },
  options: WriteSearchIndexOptions = {},
): Promise<WriteSearchIndexResult> {
  const embeddingsEntry = index.manifest.files[INDEX_FILES.embeddings];
  if (embeddingsEntry === undefined) {
    throw new InvalidIndexError(`${join(directory, INDEX_FILES.manifest)} does not list ${INDEX_FILES.embeddings}; the manifest is damaged`, { directory, file: INDEX_FILES.manifest });
  }
  const built = await buildSearchIndex(index.embeddings, index.dimension, {
    path: join(directory, SEARCH_INDEX_FILE),
    embeddingsSha256: embeddingsEntry.sha256,
    settings: options.settings,
    onProgress: options.onProgress,
    abortSignal: options.abortSignal,
    usearch: options.usearch,
  });
  const { metadata } = built;
  const stats = {
    ...index.stats,
    search: {
      kind: metadata.kind,
      quantization: metadata.quantization,
      connectivity: metadata.connectivity,
      expansion_search: metadata.expansion_search,
      rerank_factor: metadata.rerank_factor,
      recall_at_10: metadata.recall_at_10,
      ...(metadata.recall_by_ef ? { recall_by_ef: metadata.recall_by_ef } : {}),
      recall_queries: metadata.recall_queries,
      bytes: built.file.bytes,
    },
  };
  const statsFile = await writeFileAtomic(join(directory, INDEX_FILES.stats), `${JSON.stringify(stats, null, 2)}\n`);
  const manifest: IndexManifest = {
    ...index.manifest,
    files: {
      ...index.manifest.files,
      [INDEX_FILES.stats]: { sha256: statsFile.sha256, bytes: statsFile.bytes },
      [SEARCH_INDEX_FILE]: { sha256: built.file.sha256, bytes: built.file.bytes },
    },
    search: metadata,
  };
  await writeFileAtomic(join(directory, INDEX_FILES.manifest), `${JSON.stringify(manifest, null, 2)}\n`);
  options.onProgress?.({ stage: 'search', done: 1, total: 1, message: `search index written (recall@10 ${metadata.recall_at_10})` });
  return { manifest, stats, metadata, buildMs: built.buildMs };
}

/** Adds (or rebuilds) the HNSW search index of an existing index folder; the folder is checked first, as loading does. */
export async function addSearchIndex(directory: string, options: WriteSearchIndexOptions = {}): Promise<WriteSearchIndexResult> {
  options.onProgress?.({ stage: 'read', done: 0, message: `loading ${directory}` });
  const index = await loadCorpusIndex(directory, { search: 'exact' });
  return writeSearchIndex(directory, index, options);
}
