/** A piece of a text; `text` is always exactly `original.slice(charStart, charEnd)`. */
export interface TextChunk {
  text: string;
  charStart: number;
  charEnd: number;
}

/** Cuts one document's text into chunks (paragraphs, word windows, token windows…). */
export type Chunker = (text: string) => TextChunk[];

/** The chunk of `text` between two offsets. */
export function sliceChunk(text: string, charStart: number, charEnd: number): TextChunk {
  return { text: text.slice(charStart, charEnd), charStart, charEnd };
}
