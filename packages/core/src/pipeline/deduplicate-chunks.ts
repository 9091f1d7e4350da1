import type { ChunkMetadata } from '../types.js';

/** Where a dropped duplicate chunk came from, kept in the metadata of the chunk it repeats. */
export interface DuplicateProvenance {
  source: string;
  shard_id: number;
  chunk_id: number;
  corpus_stage: string;
  line?: number;
  char_start: number;
  char_end: number;
}

/**
 * Keeps the first of every set of chunks with exactly the same text, so 800 copies of a document
 * are one chunk (not a cluster of their own split into look-alike clusters). The kept chunk's
 * metadata lists every dropped copy's provenance under `duplicates`; `removed` counts them.
 */
export function deduplicateChunks(chunks: readonly string[], metadata: readonly ChunkMetadata[]): { chunks: string[]; metadata: ChunkMetadata[]; removed: number } {
  const first = new Map<string, number>();
  const kept: string[] = [];
  const keptMetadata: ChunkMetadata[] = [];
  for (let index = 0; index < chunks.length; index++) {
    const text = chunks[index]!;
    const row = metadata[index]!;
    const at = first.get(text);
    if (at === undefined) {
      first.set(text, kept.length);
      kept.push(text);
      keptMetadata.push(row);
      continue;
    }
    const original = keptMetadata[at]!;
    const provenance: DuplicateProvenance = { source: row.source, shard_id: row.shard_id, chunk_id: row.chunk_id, corpus_stage: row.corpus_stage, ...(row.line !== undefined ? { line: row.line } : {}), char_start: row.char_start, char_end: row.char_end };
    // A copy per kept row, so rows never share one array.
    keptMetadata[at] = { ...original, duplicates: [...((original.duplicates as DuplicateProvenance[] | undefined) ?? []), provenance] };
  }
  return { chunks: kept, metadata: keptMetadata, removed: chunks.length - kept.length };
}
