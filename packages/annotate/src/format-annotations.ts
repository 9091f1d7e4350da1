import { InvalidInputError, type AnnotatedOutput } from '@corpus-proximity/core';
import { annotatedOutputToJson } from './annotated-output-to-json.js';
import { formatChess, type FormatChessOptions } from './format-chess.js';
import { formatCompact } from './format-compact.js';

/** The ways an annotated output can be shown. */
export type AnnotationFormat = 'chess' | 'compact' | 'json';

/** Options of formatAnnotations: the chess options, and the JSON indentation (default 2; 0 for one line). */
export interface FormatAnnotationsOptions extends FormatChessOptions {
  indent?: number;
}

/** Formats an annotated output as chess-style text, one compact line, or snake_case JSON. */
export function formatAnnotations(output: AnnotatedOutput, format: AnnotationFormat, options: FormatAnnotationsOptions = {}): string {
  switch (format) {
    case 'chess':
      return formatChess(output, options);
    case 'compact':
      return formatCompact(output);
    case 'json':
      return JSON.stringify(annotatedOutputToJson(output), null, options.indent ?? 2);
    default:
      throw new InvalidInputError(`unknown annotation format "${String(format)}"; use chess, compact or json`);
  }
}
