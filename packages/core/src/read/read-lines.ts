import { createReadStream } from 'node:fs';

/** One line of a byte stream: its 1-based number and raw bytes, without the newline (and a trailing CR). */
export interface RawLine {
  line: number;
  bytes: Buffer;
}

/**
 * Splits a file (by path) or any byte stream (stdin, a response body) into lines, streaming,
 * so files far larger than memory can be read. A final line without a newline is kept.
 */
export async function* readLines(source: string | AsyncIterable<Uint8Array>): AsyncGenerator<RawLine> {
  const stream = typeof source === 'string' ? createReadStream(source, { highWaterMark: 1 << 20 }) : source;
  let carry: Buffer[] = [];
  let carryBytes = 0;
  let line = 0;
  for await (const piece of stream) {
    const buffer = Buffer.isBuffer(piece) ? piece : Buffer.from(piece.buffer, piece.byteOffset, piece.byteLength);
    let start = 0;
    let newline = buffer.indexOf(0x0a, start);
    while (newline !== -1) {
      let bytes = buffer.subarray(start, newline);
      if (carryBytes > 0) {
        bytes = Buffer.concat([...carry, bytes], carryBytes + bytes.length);
        carry = [];
        carryBytes = 0;
      }
      yield { line: ++line, bytes: trimCarriageReturn(bytes) };
      start = newline + 1;
      newline = buffer.indexOf(0x0a, start);
    }
    if (start < buffer.length) {
      // Copy: a stream may reuse its buffer for the next piece.
      const rest = Buffer.from(buffer.subarray(start));
      carry.push(rest);
      carryBytes += rest.length;
    }
  }
  if (carryBytes > 0) yield { line: ++line, bytes: trimCarriageReturn(Buffer.concat(carry, carryBytes)) };
}

function trimCarriageReturn(bytes: Buffer): Buffer {
  return bytes.length > 0 && bytes[bytes.length - 1] === 0x0d ? bytes.subarray(0, bytes.length - 1) : bytes;
}
