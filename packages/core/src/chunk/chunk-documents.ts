import type { Chunker } from './text-chunk.js';
import type { ChunkMetadata, CorpusDocument } from '../types.js';

/** Chunk texts and their metadata rows, index for index. */
export interface ChunkedCorpus {
  chunks: string[];
  metadata: ChunkMetadata[];
}

const RESERVED = new Set(['source', 'shard_id', 'chunk_id', 'corpus_stage', 'line', 'char_start', 'char_end']);

/**
 * Cuts documents into chunks with provenance. shard_id is the index of the document's source in
 * `options.sources` (readCorpusDocuments' list), else in order of first appearance. A document
 * field that clashes with a provenance field is kept as `doc_<field>`.
 */
export function chunkDocuments(
  documents: Iterable<CorpusDocument>,
  chunker: Chunker,
  options: { sources?: readonly string[] } = {},
): ChunkedCorpus {
  const shardIds = new Map<string, number>();
  options.sources?.forEach((source, index) => {
    if (!shardIds.has(source)) shardIds.set(source, index);
  });
  let nextShardId = options.sources?.length ?? 0;
  const chunks: string[] = [];
  const metadata: ChunkMetadata[] = [];
  for (const document of documents) {
    let shardId = shardIds.get(document.source);
    if (shardId === undefined) {
      shardId = nextShardId++;
      shardIds.set(document.source, shardId);
    }
    const extra = documentFields(document.metadata);
    chunker(document.text).forEach((chunk, chunkId) => {
      chunks.push(chunk.text);
      const row: ChunkMetadata = {
        source: document.source,
        shard_id: shardId,
        chunk_id: chunkId,
        corpus_stage: document.stage,
        ...(document.line === undefined ? {} : { line: document.line }),
        char_start: chunk.charStart,
        char_end: chunk.charEnd,
        ...extra,
      };
      metadata.push(row);
    });
  }
  return { chunks, metadata };
}

function documentFields(fields: Record<string, unknown>): Record<string, unknown> {
  const result: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(fields)) {
    let name = key;
    while (RESERVED.has(name) || name in result) name = `doc_${name}`;
    result[name] = value;
  }
  return result;
}
