import { rm } from 'node:fs/promises';
import { isAbsolute, join } from 'node:path';
import type { CorpusIndexData, IndexManifest } from './corpus-index.js';
import { INDEX_FORMAT_VERSION } from './corpus-index.js';
import type { NpyDtype } from './encode-npy.js';
import { InvalidIndexError } from '../errors.js';
import { INDEX_FILES } from './index-files.js';
import { writeEvidenceFiles } from '../calibration/write-evidence-files.js';
import type { ClusterNode } from '../types.js';
import { createAtomicFileWriter, writeFileAtomic, type WrittenFile } from './write-file-atomic.js';
import { writeNpyFile } from './write-npy-file.js';
import { packageVersion } from '../package-version.js';

/** Options of writeCorpusIndex. */
export interface WriteCorpusIndexOptions {
  /** Element type of embeddings.npy; float16 halves the size. Default float32. Centroids stay float32. */
  dtype?: NpyDtype;
  /** Version recorded in the manifest; this package's version by default. */
  toolVersion?: string;
  /** Creation time recorded in the manifest (ISO 8601); now by default. */
  createdAt?: string;
}

/**
 * Writes an index folder: every file to a temporary name then renamed, manifest.json last (an
 * existing one is removed first, so an interrupted rewrite never loads as complete). Other files
 * in the folder (e.g. pipeline checkpoints) are left alone. Returns the manifest written.
 */
export async function writeCorpusIndex(directory: string, data: CorpusIndexData, options: WriteCorpusIndexOptions = {}): Promise<IndexManifest> {
  const summary = checkIndexData(directory, data, options.dtype ?? 'float32');
  await rm(join(directory, INDEX_FILES.manifest), { force: true });
  const files: IndexManifest['files'] = {};
  const record = (name: string, written: WrittenFile) => {
    files[name] = { sha256: written.sha256, bytes: written.bytes };
  };
  const path = (name: string) => join(directory, name);
  const count = data.chunks.length;

  record(INDEX_FILES.embeddings, await writeNpyFile(path(INDEX_FILES.embeddings), data.embeddings, [count, data.dimension], options.dtype ?? 'float32'));
  record(INDEX_FILES.chunks, await writeJsonl(path(INDEX_FILES.chunks), data.chunks, (text, idx) => ({ idx, text })));
  record(INDEX_FILES.metadata, await writeJsonl(path(INDEX_FILES.metadata), data.metadata, (row) => row));
  record(INDEX_FILES.tree, await writeFileAtomic(path(INDEX_FILES.tree), `${JSON.stringify(data.tree, null, 2)}\n`));
  record(INDEX_FILES.centroids, await writeNpyFile(path(INDEX_FILES.centroids), data.centroids, [summary.nodes, data.dimension], 'float32'));
  record(INDEX_FILES.chunkToCluster, await writeFileAtomic(path(INDEX_FILES.chunkToCluster), `${JSON.stringify(data.assignment)}\n`));
  record(INDEX_FILES.stats, await writeFileAtomic(path(INDEX_FILES.stats), `${JSON.stringify(data.stats, null, 2)}\n`));
  record(INDEX_FILES.config, await writeFileAtomic(path(INDEX_FILES.config), `${JSON.stringify(data.config, null, 2)}\n`));
  Object.assign(files, await writeEvidenceFiles(directory, data));
  const stateFiles: string[] = [];
  for (const [name, bytes] of Object.entries(data.embedder.state?.files ?? {}).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) {
    const relative = `${INDEX_FILES.embedderFolder}/${name}`;
    record(relative, await writeFileAtomic(path(relative), bytes));
    stateFiles.push(relative);
  }

  const manifest: IndexManifest = {
    format: 'corpus-proximity-index',
    format_version: INDEX_FORMAT_VERSION,
    created_at: options.createdAt ?? new Date().toISOString(),
    tool_version: options.toolVersion ?? packageVersion(),
    counts: {
      chunks: count,
      documents: data.documents,
      sources: data.sources,
      clusters: summary.nodes,
      noise: new Set(data.assignment.noise).size,
      max_depth: summary.maxDepth,
    },
    dimension: data.dimension,
    dtype: options.dtype ?? 'float32',
    embedder: {
      id: `${data.embedder.provider}:${data.embedder.modelId}`,
      provider: data.embedder.provider,
      model_id: data.embedder.modelId,
      dimensions: data.embedder.dimensions,
      settings: data.embedder.state?.settings ?? {},
      state_files: stateFiles,
    },
    files,
  };
  await writeFileAtomic(path(INDEX_FILES.manifest), `${JSON.stringify(manifest, null, 2)}\n`);
  return manifest;
}

// Refuses data whose parts disagree, so a written index always loads.
function checkIndexData(directory: string, data: CorpusIndexData, dtype: unknown): { nodes: number; maxDepth: number } {
  const fail = (message: string): never => {
    throw new InvalidIndexError(`refusing to write an inconsistent index to ${directory}: ${message}`, { directory });
  };
  const count = data.chunks.length;
  if (dtype !== 'float32' && dtype !== 'float16') fail(`embeddings dtype must be float32 or float16 (the types the loader reads), got ${String(dtype)}`);
  if (!Number.isInteger(data.dimension) || data.dimension < 1) fail(`dimension must be a positive integer, got ${data.dimension}`);
  if (data.metadata.length !== count) fail(`${count} chunks but ${data.metadata.length} metadata rows`);
  if (data.embeddings.length !== count * data.dimension) {
    fail(`embeddings hold ${data.embeddings.length} values, expected ${count} chunks × ${data.dimension} dimensions`);
  }
  if (data.assignment.clusters.length !== count) fail(`${count} chunks but ${data.assignment.clusters.length} cluster assignments`);
  let nodes = 0;
  let maxDepth = 0;
  const stack: ClusterNode[] = [data.tree];
  while (stack.length > 0) {
    const node = stack.pop()!;
    nodes++;
    maxDepth = Math.max(maxDepth, node.depth);
    stack.push(...node.children);
  }
  if (data.centroids.length !== nodes * data.dimension) {
    fail(`centroids hold ${data.centroids.length} values, expected ${nodes} tree nodes × ${data.dimension} dimensions`);
  }
  for (const name of Object.keys(data.embedder.state?.files ?? {})) {
    if (name === '' || isAbsolute(name) || name.split(/[\\/]/).some((part) => part === '..' || part === '')) {
      fail(`embedder state file name "${name}" must be a relative path inside embedder/`);
    }
  }
  return { nodes, maxDepth };
}

async function writeJsonl<T>(path: string, rows: readonly T[], toJson: (row: T, index: number) => unknown): Promise<WrittenFile> {
  const writer = await createAtomicFileWriter(path);
  try {
    let batch = '';
    for (let index = 0; index < rows.length; index++) {
      batch += `${JSON.stringify(toJson(rows[index]!, index))}\n`;
      if (batch.length >= 1 << 20) {
        await writer.write(batch);
        batch = '';
      }
    }
    await writer.write(batch);
    return await writer.commit();
  } catch (error) {
    await writer.abort();
    throw error;
  }
}
