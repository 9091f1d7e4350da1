import { readFile } from 'node:fs/promises';
import { decodeNpy } from '../index-format/decode-npy.js';
import { InvalidInputError } from '../errors.js';
import { readJsonlRecords } from '../read/read-jsonl-records.js';
import type { ChunkMetadata } from '../types.js';

/** Embeddings made elsewhere (`index --embeddings FILE.npy --chunks FILE.jsonl`): the build skips reading, chunking and embedding. */
export interface PrecomputedEmbeddings {
  /** A numpy .npy file of shape (N, D), float16/32/64; rows are L2-normalized here when they are not. */
  embeddings: string;
  /** JSONL, one chunk per line in row order: {"idx": 0, "text": "…", …}; other fields become the chunk's metadata. */
  chunks: string;
  /** The model that made the embeddings, recorded as the index's embedder when no embedder is given. */
  modelId?: string;
}

/** Chunks, metadata and rows read from precomputed files, checked against each other. */
export interface PrecomputedCorpus {
  chunks: string[];
  metadata: ChunkMetadata[];
  embeddings: Float32Array;
  dimension: number;
  /** Rows that were not unit length and were normalized. */
  normalized: number;
}

/**
 * Reads precomputed embeddings and their chunks: the row count must equal the chunk count, the
 * dimension the embedder's (when one is given), every value finite and no row zero; rows that are
 * not unit length are normalized with a warning. Errors are InvalidInputErrors naming the file and row or line.
 */
export async function readPrecomputedEmbeddings(
  source: PrecomputedEmbeddings,
  options: { dimension?: number; onWarning?: (message: string) => void } = {},
): Promise<PrecomputedCorpus> {
  const chunks: string[] = [];
  const metadata: ChunkMetadata[] = [];
  for await (const { line, value } of readJsonlRecords(source.chunks)) {
    const { idx, text, ...fields } = value;
    if (typeof text !== 'string') throw new InvalidInputError(`${source.chunks}:${line}: no "text" string; each line should be {"idx": ${chunks.length}, "text": "…"}`, { file: source.chunks, line });
    if (idx !== undefined && idx !== chunks.length) {
      throw new InvalidInputError(`${source.chunks}:${line}: "idx" is ${JSON.stringify(idx)} but this is chunk ${chunks.length}; chunks must be listed in row order of the embeddings`, { file: source.chunks, line });
    }
    metadata.push({
      source: source.chunks,
      shard_id: 0,
      chunk_id: chunks.length,
      corpus_stage: 'pretrain',
      char_start: 0,
      char_end: text.length,
      ...fields,
    } as ChunkMetadata);
    chunks.push(text);
  }
  if (chunks.length === 0) throw new InvalidInputError(`${source.chunks} holds no chunks`, { file: source.chunks });

  const file = source.embeddings;
  const bytes = await readFile(file).catch((cause: NodeJS.ErrnoException) => {
    throw new InvalidInputError(`cannot read ${file}: ${cause.message}`, { file, cause });
  });
  const decoded = decodeNpy(new Uint8Array(bytes), file);
  const [rows, dimension] = decoded.shape;
  if (decoded.shape.length !== 2 || rows === undefined || dimension === undefined || dimension < 1) {
    throw new InvalidInputError(`${file} has shape (${decoded.shape.join(', ')}); expected a 2-D array (rows, dimensions)`, { file });
  }
  if (rows !== chunks.length) {
    throw new InvalidInputError(`${file} has ${rows} rows but ${source.chunks} has ${chunks.length} chunks; they must match one to one`, { file });
  }
  if (options.dimension !== undefined && dimension !== options.dimension) {
    throw new InvalidInputError(`${file} has ${dimension} dimensions but the embedder makes ${options.dimension}; pass the embedder that produced these embeddings`, { file });
  }
  const embeddings = decoded.data;
  let normalized = 0;
  for (let row = 0; row < rows; row++) {
    const vector = embeddings.subarray(row * dimension, (row + 1) * dimension);
    let norm = 0;
    for (let d = 0; d < dimension; d++) {
      if (!Number.isFinite(vector[d]!)) throw new InvalidInputError(`${file}: row ${row} has a non-finite value (${vector[d]}) at dimension ${d}`, { file });
      norm += vector[d]! * vector[d]!;
    }
    norm = Math.sqrt(norm);
    if (norm === 0) throw new InvalidInputError(`${file}: row ${row} is all zeros and has no direction; re-embed chunk ${row}`, { file });
    if (Math.abs(norm - 1) > 1e-3) {
      for (let d = 0; d < dimension; d++) vector[d]! /= norm;
      normalized++;
    }
  }
  if (normalized > 0) options.onWarning?.(`normalized ${normalized} of ${rows} rows of ${file} to unit length (the index stores L2-normalized rows)`);
  return { chunks, metadata, embeddings, dimension, normalized };
}
