import { chunkDocuments, chunkParagraphs, chunkWordWindows } from '../chunkers.js';
import type { ChunkMetadata, CorpusDocument } from '../types.js';

/** How documents are cut into chunks. */
export interface ChunkingSettings {
  /** 'paragraph' (blank-line separated, long ones cut at sentence ends) or 'words' (overlapping word windows). */
  strategy: 'paragraph' | 'words';
  /** Longest paragraph chunk in characters. */
  maxChars: number;
  windowWords: number;
  overlapWords: number;
}

/** Chunks every document with the chosen strategy and keeps at most maxChunks chunks. */
export function chunkCorpus(documents: CorpusDocument[], sources: string[], settings: ChunkingSettings, maxChunks?: number) {
  const chunker =
    settings.strategy === 'words'
      ? (text: string) => chunkWordWindows(text, { windowWords: settings.windowWords, overlapWords: settings.overlapWords })
      : (text: string) => chunkParagraphs(text, { maxChars: settings.maxChars });
  const { chunks, metadata } = chunkDocuments(documents, chunker, { sources });
  if (maxChunks !== undefined && chunks.length > maxChunks) {
    return { chunks: chunks.slice(0, maxChunks), metadata: metadata.slice(0, maxChunks) as ChunkMetadata[], truncatedFrom: chunks.length };
  }
  return { chunks, metadata, truncatedFrom: undefined };
}
