import { open, readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import type { ChunkAssignment, CorpusIndex, IndexManifest } from './corpus-index.js';
import { checkIndexStructure } from './check-index-structure.js';
import { corpusIndexFromData } from './corpus-index-from-data.js';
import { decodeNpy } from './decode-npy.js';
import { InvalidIndexError } from '../errors.js';
import { INDEX_FILES, REQUIRED_INDEX_FILES } from './index-files.js';
import { readIndexManifest } from './read-index-manifest.js';
import { finishInterruptedReplace } from './replace-index-files.js';
import { readEvidenceFiles } from '../calibration/read-evidence-files.js';
import { readJsonlRecords } from '../read/read-jsonl-records.js';
import { hasSearchIndex, openSearchIndex } from '../search/open-search-index.js';
import { selectSearchMode, type SearchMode } from '../search/select-search-mode.js';
import type { UsearchModule } from '../search/load-usearch.js';
import { sha256Bytes, sha256File } from './sha256-file.js';
import type { ChunkMetadata, ClusterNode } from '../types.js';

const REBUILD = 'Run the same `corpus-proximity index` command again to rebuild it.';

/** Options of loadCorpusIndex. */
export interface LoadCorpusIndexOptions {
  /** Check every file's sha256 against manifest.json (default true). */
  verifyChecksums?: boolean;
  /**
   * 'exact' (default): search scans every embedding. 'ann': HNSW candidates re-ranked exactly (the
   * index needs search.usearch: `corpus-proximity build-search`). 'auto': ann above 100K chunks when
   * the search index exists, exact otherwise.
   */
  search?: SearchMode;
  /** HNSW search breadth (ef) for 'ann'; the value recorded at build time by default. */
  expansionSearch?: number;
  /** The usearch module (tests); imported lazily by default. */
  usearch?: UsearchModule;
}

/**
 * Loads an index folder and checks it against its manifest: every listed file present, checksums
 * (unless verifyChecksums is false), shapes and counts, and cheaply the structure (checkIndexStructure:
 * ids and ranges, a sample of row norms). Any problem throws an InvalidIndexError that
 * names the file. Embeddings come back as float32 whatever the stored dtype. The HNSW search index
 * is checked and memory-mapped only when the search mode selects it.
 */
export async function loadCorpusIndex(directory: string, options: LoadCorpusIndexOptions = {}): Promise<CorpusIndex> {
  const verify = options.verifyChecksums ?? true;
  // A rename that crashed after staging its files is completed first (a no-op otherwise, or when read-only).
  await finishInterruptedReplace(directory).catch(() => undefined);
  const manifest = await readIndexManifest(directory);
  // The search index is checked by openSearchIndex, with its own advice (build-search), only when used.
  const searchFile = manifest.search?.file;
  const fail = (file: string, message: string, cause?: unknown): never => {
    throw new InvalidIndexError(`${join(directory, file)}: ${message}`, { directory, file, cause });
  };

  for (const file of REQUIRED_INDEX_FILES) {
    if (!(file in manifest.files)) fail(INDEX_FILES.manifest, `does not list ${file}; the manifest is damaged. ${REBUILD}`);
  }
  for (const [file, expected] of Object.entries(manifest.files)) {
    if (file === searchFile) continue;
    const info = await stat(join(directory, file)).catch(() => undefined);
    if (info === undefined || !info.isFile()) fail(file, `missing (listed in manifest.json); the index is incomplete. ${REBUILD}`);
    if (verify && info!.size !== expected.bytes) {
      fail(file, `is ${info!.size} bytes but manifest.json says ${expected.bytes}: the file was truncated or changed after the index was written. ${REBUILD}`);
    }
  }
  const checkHash = (file: string, actual: string) => {
    const expected = manifest.files[file]!.sha256;
    if (actual !== expected) {
      fail(file, `checksum mismatch (expected sha256 ${expected}, got ${actual}): the file is corrupted or changed after the index was written. ${REBUILD}`);
    }
  };
  if (verify) {
    for (const file of Object.keys(manifest.files)) if (!file.endsWith('.npy') && file !== searchFile) checkHash(file, (await sha256File(join(directory, file))).sha256);
  }

  const readMatrix = async (file: string, rows: number, what: string): Promise<Float32Array> => {
    const bytes = await readWholeFile(join(directory, file));
    if (verify) checkHash(file, sha256Bytes(bytes));
    let decoded;
    try {
      decoded = decodeNpy(bytes, file);
    } catch (cause) {
      return fail(file, `${(cause as Error).message.replace(`${file}: `, '')}. ${REBUILD}`, cause);
    }
    const [actualRows, actualColumns] = decoded.shape;
    if (decoded.shape.length !== 2 || actualRows !== rows || actualColumns !== manifest.dimension) {
      fail(file, `has shape (${decoded.shape.join(', ')}) but the index has ${rows} ${what} of dimension ${manifest.dimension}; the index is inconsistent. ${REBUILD}`);
    }
    return decoded.data;
  };
  const readJson = async <T>(file: string): Promise<T> => {
    try {
      return JSON.parse(await readFile(join(directory, file), 'utf8')) as T;
    } catch (cause) {
      return fail(file, `is not valid JSON (${(cause as Error).message}). ${REBUILD}`, cause);
    }
  };

  const count = manifest.counts.chunks;
  const embeddings = await readMatrix(INDEX_FILES.embeddings, count, 'chunks');
  const tree = await readJson<ClusterNode>(INDEX_FILES.tree);
  const nodes = countNodes(tree, () => fail(INDEX_FILES.tree, `is not a cluster tree (a node lacks cluster_id or children). ${REBUILD}`));
  const centroids = await readMatrix(INDEX_FILES.centroids, nodes, 'tree nodes');

  const chunks: string[] = [];
  for await (const { line, value } of readIndexJsonl(directory, INDEX_FILES.chunks, fail)) {
    if (value.idx !== chunks.length || typeof value.text !== 'string') {
      fail(INDEX_FILES.chunks, `line ${line} should be {"idx": ${chunks.length}, "text": "…"}. ${REBUILD}`);
    }
    chunks.push(value.text as string);
  }
  if (chunks.length !== count) fail(INDEX_FILES.chunks, `has ${chunks.length} chunks but manifest.json says ${count}. ${REBUILD}`);
  const metadata: ChunkMetadata[] = [];
  for await (const { value } of readIndexJsonl(directory, INDEX_FILES.metadata, fail)) metadata.push(value as ChunkMetadata);
  if (metadata.length !== count) fail(INDEX_FILES.metadata, `has ${metadata.length} rows but the index has ${count} chunks. ${REBUILD}`);

  const assignment = await readJson<ChunkAssignment>(INDEX_FILES.chunkToCluster);
  if (!Array.isArray(assignment?.clusters) || !Array.isArray(assignment.noise)) {
    fail(INDEX_FILES.chunkToCluster, `should hold {"clusters": [...], "noise": [...]}. ${REBUILD}`);
  }
  if (assignment.clusters.length !== count) {
    fail(INDEX_FILES.chunkToCluster, `assigns ${assignment.clusters.length} chunks but the index has ${count}. ${REBUILD}`);
  }
  if (assignment.outlier_scores !== undefined && (!Array.isArray(assignment.outlier_scores) || assignment.outlier_scores.length !== count)) {
    fail(INDEX_FILES.chunkToCluster, `"outlier_scores" should hold one score (or null) per chunk, ${count} in all. ${REBUILD}`);
  }
  checkIndexStructure({ tree, assignment, embeddings, dimension: manifest.dimension, count, nodes }, (file, message) => fail(file, `${message}; the index is inconsistent. ${REBUILD}`));
  const stats = await readJson<Record<string, unknown>>(INDEX_FILES.stats);
  const config = await readJson<Record<string, unknown>>(INDEX_FILES.config);
  const stateFiles: Record<string, Uint8Array> = {};
  const prefix = `${INDEX_FILES.embedderFolder}/`;
  for (const file of manifest.embedder.state_files ?? []) {
    if (!(file in manifest.files)) fail(INDEX_FILES.manifest, `lists embedder file ${file} without a checksum. ${REBUILD}`);
    stateFiles[file.startsWith(prefix) ? file.slice(prefix.length) : file] = new Uint8Array(await readFile(join(directory, file)));
  }
  const evidence = await readEvidenceFiles(directory, manifest as IndexManifest);
  const hasState = Object.keys(stateFiles).length > 0 || Object.keys(manifest.embedder.settings ?? {}).length > 0;
  const mode = selectSearchMode(options.search ?? 'exact', { count, hasSearchIndex: hasSearchIndex(manifest) });
  const search =
    mode === 'ann'
      ? await openSearchIndex(directory, manifest, embeddings, { verifyChecksums: verify, expansionSearch: options.expansionSearch, usearch: options.usearch })
      : undefined;

  return corpusIndexFromData(
    {
      chunks,
      metadata,
      embeddings,
      dimension: manifest.dimension,
      tree,
      centroids,
      assignment,
      stats,
      config,
      embedder: {
        provider: manifest.embedder.provider,
        modelId: manifest.embedder.model_id,
        dimensions: manifest.embedder.dimensions,
        ...(hasState ? { state: { settings: manifest.embedder.settings ?? {}, files: stateFiles } } : {}),
      },
      documents: manifest.counts.documents,
      sources: manifest.counts.sources,
      ...evidence,
    },
    { directory, manifest: manifest as IndexManifest, search },
  );
}

async function* readIndexJsonl(directory: string, file: string, fail: (file: string, message: string, cause?: unknown) => never) {
  try {
    yield* readJsonlRecords(join(directory, file), { name: file });
  } catch (cause) {
    fail(file, `${(cause as Error).message.replace(/; fix the line.*$/, '')}. ${REBUILD}`, cause);
  }
}

function countNodes(tree: ClusterNode, onBad: () => never): number {
  let nodes = 0;
  const stack: unknown[] = [tree];
  while (stack.length > 0) {
    const node = stack.pop() as ClusterNode | null;
    if (typeof node !== 'object' || node === null || typeof node.cluster_id !== 'string' || !Array.isArray(node.children)) onBad();
    nodes++;
    stack.push(...node!.children);
  }
  return nodes;
}

// One allocation of exactly the file's size (aligned, so float32 data can be viewed in place), up to 4 GiB and beyond readFile's 2 GiB.
async function readWholeFile(path: string): Promise<Uint8Array> {
  const handle = await open(path, 'r');
  try {
    const { size } = await handle.stat();
    const bytes = new Uint8Array(size);
    let offset = 0;
    while (offset < size) {
      const { bytesRead } = await handle.read(bytes, offset, Math.min(size - offset, 1 << 26), offset);
      if (bytesRead === 0) break;
      offset += bytesRead;
    }
    return offset === size ? bytes : bytes.subarray(0, offset);
  } finally {
    await handle.close();
  }
}
