import { InvalidInputError } from '../errors.js';

const decoder = new TextDecoder('utf-8', { fatal: true });

/**
 * Decodes UTF-8 strictly; invalid bytes throw an InvalidInputError naming the file and line.
 * `firstLine` is the 1-based line the bytes start on (1 for a whole file).
 */
export function decodeUtf8(bytes: Uint8Array, file: string, firstLine = 1): string {
  try {
    return decoder.decode(bytes);
  } catch (cause) {
    const offset = invalidUtf8Offset(bytes);
    let line = firstLine;
    for (let i = 0; i < offset; i++) if (bytes[i] === 0x0a) line++;
    const utf16 = utf16Kind(bytes);
    const fix = utf16
      ? `the file looks like ${utf16}: re-encode it as UTF-8 (e.g. iconv -f ${utf16} -t utf-8 ${file} > ${file}.utf8)`
      : `re-encode the file as UTF-8 (e.g. iconv -f latin1 -t utf-8) or pass --skip-invalid to skip it`;
    throw new InvalidInputError(
      `${file}:${line}: invalid UTF-8 (byte 0x${(bytes[offset] ?? 0).toString(16).padStart(2, '0')} at byte ${offset}${firstLine === 1 ? '' : ' of the line'}); ${fix}`,
      { file, line, cause },
    );
  }
}

/** Byte offset of the first invalid UTF-8 sequence, or the length when all is valid. */
export function invalidUtf8Offset(bytes: Uint8Array): number {
  let i = 0;
  while (i < bytes.length) {
    const byte = bytes[i]!;
    if (byte < 0x80) {
      i++;
      continue;
    }
    let need: number;
    let min: number;
    if (byte >= 0xc2 && byte <= 0xdf) [need, min] = [1, 0x80];
    else if (byte >= 0xe0 && byte <= 0xef) [need, min] = [2, 0x800];
    else if (byte >= 0xf0 && byte <= 0xf4) [need, min] = [3, 0x10000];
    else return i;
    let code = byte & (0x3f >> need);
    for (let k = 1; k <= need; k++) {
      const next = bytes[i + k];
      if (next === undefined || (next & 0xc0) !== 0x80) return i;
      code = (code << 6) | (next & 0x3f);
    }
    // Overlong forms, UTF-16 surrogates and code points past U+10FFFF are invalid too.
    if (code < min || (code >= 0xd800 && code <= 0xdfff) || code > 0x10ffff) return i;
    i += need + 1;
  }
  return i;
}

/** 'UTF-16LE' / 'UTF-16BE' when the bytes start with a UTF-16 byte order mark or have a NUL in every other byte; else undefined. */
export function utf16Kind(bytes: Uint8Array): 'UTF-16LE' | 'UTF-16BE' | undefined {
  if (bytes[0] === 0xff && bytes[1] === 0xfe) return 'UTF-16LE';
  if (bytes[0] === 0xfe && bytes[1] === 0xff) return 'UTF-16BE';
  const sample = Math.min(bytes.length - (bytes.length % 2), 256);
  if (sample < 4) return undefined;
  let evenZeros = 0;
  let oddZeros = 0;
  for (let i = 0; i < sample; i += 2) {
    if (bytes[i] === 0) evenZeros++;
    if (bytes[i + 1] === 0) oddZeros++;
  }
  if (oddZeros >= (sample / 2) * 0.6 && evenZeros === 0) return 'UTF-16LE';
  if (evenZeros >= (sample / 2) * 0.6 && oddZeros === 0) return 'UTF-16BE';
  return undefined;
}
