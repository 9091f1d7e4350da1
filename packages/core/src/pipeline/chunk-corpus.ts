import { chunkDocuments, chunkParagraphs, chunkWordWindows } from '../chunk/chunkers.js';
import { createTokenWindowSplitter } from '../chunk/create-token-window-splitter.js';
import { InvalidInputError } from '../errors.js';
import type { ChunkMetadata, CorpusDocument } from '../types.js';

/** How documents are cut into chunks. */
export interface ChunkingSettings {
  /**
   * 'paragraph' (blank-line separated, long ones cut at sentence ends), 'words' (overlapping word
   * windows) or 'tokens' (windows of ≤ maxTokens tokens of the embedder's own tokenizer, 15% overlap).
   */
  strategy: 'paragraph' | 'words' | 'tokens';
  /** Longest paragraph chunk in characters. */
  maxChars: number;
  windowWords: number;
  overlapWords: number;
  /** 'tokens': most content tokens per window (510 = 512 minus [CLS] and [SEP]). */
  maxTokens: number;
  /** 'tokens': fraction of a window repeated at the start of the next. */
  overlap: number;
}

/** Chunks every document with the chosen strategy and keeps at most maxChunks chunks. */
export function chunkCorpus(
  documents: CorpusDocument[],
  sources: string[],
  settings: ChunkingSettings,
  maxChunks?: number,
  embedder?: { provider: string; countTokens?: (text: string) => number },
) {
  const chunker = pickChunker(settings, embedder);
  const { chunks, metadata } = chunkDocuments(documents, chunker, { sources });
  if (maxChunks !== undefined && chunks.length > maxChunks) {
    return { chunks: chunks.slice(0, maxChunks), metadata: metadata.slice(0, maxChunks) as ChunkMetadata[], truncatedFrom: chunks.length };
  }
  return { chunks, metadata, truncatedFrom: undefined };
}

function pickChunker(settings: ChunkingSettings, embedder?: { provider: string; countTokens?: (text: string) => number }) {
  if (settings.strategy === 'words') return (text: string) => chunkWordWindows(text, { windowWords: settings.windowWords, overlapWords: settings.overlapWords });
  if (settings.strategy === 'paragraph') return (text: string) => chunkParagraphs(text, { maxChars: settings.maxChars });
  if (!embedder?.countTokens) {
    throw new InvalidInputError(
      `chunking strategy "tokens" needs an embedder with a tokenizer (countTokens); ${embedder ? `"${embedder.provider}" has none` : 'there is no embedder'}. Use "paragraph" or "words" instead.`,
    );
  }
  return createTokenWindowSplitter({ countTokens: embedder.countTokens.bind(embedder), maxTokens: settings.maxTokens, overlap: settings.overlap });
}
