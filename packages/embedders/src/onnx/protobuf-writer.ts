/** A minimal protocol-buffers encoder: enough to write ONNX models without a protobuf library. */
export class ProtobufWriter {
  private readonly parts: Uint8Array[] = [];
  private length = 0;

  /** A varint field (wire type 0); negative numbers are written as 64-bit two's complement, as int64 requires. */
  varint(field: number, value: number | bigint): this {
    this.tag(field, 0);
    return this.rawVarint(BigInt.asUintN(64, BigInt(value)));
  }

  /** A 32-bit float field (wire type 5). */
  float(field: number, value: number): this {
    this.tag(field, 5);
    const bytes = new Uint8Array(4);
    new DataView(bytes.buffer).setFloat32(0, value, true);
    return this.push(bytes);
  }

  /** A length-delimited field holding UTF-8 text. */
  string(field: number, value: string): this {
    return this.bytes(field, new TextEncoder().encode(value));
  }

  /** A length-delimited field holding bytes or an embedded message. */
  bytes(field: number, value: Uint8Array): this {
    this.tag(field, 2);
    this.rawVarint(BigInt(value.length));
    return this.push(value);
  }

  /** A packed repeated varint field (e.g. int64 dims). */
  packedVarints(field: number, values: readonly (number | bigint)[]): this {
    const inner = new ProtobufWriter();
    for (const value of values) inner.rawVarint(BigInt.asUintN(64, BigInt(value)));
    return this.bytes(field, inner.finish());
  }

  /** The encoded message. */
  finish(): Uint8Array {
    const out = new Uint8Array(this.length);
    let offset = 0;
    for (const part of this.parts) {
      out.set(part, offset);
      offset += part.length;
    }
    return out;
  }

  private tag(field: number, wireType: number): void {
    this.rawVarint(BigInt((field << 3) | wireType));
  }

  private rawVarint(value: bigint): this {
    const bytes: number[] = [];
    let rest = value;
    do {
      let byte = Number(rest & 0x7fn);
      rest >>= 7n;
      if (rest !== 0n) byte |= 0x80;
      bytes.push(byte);
    } while (rest !== 0n);
    return this.push(Uint8Array.from(bytes));
  }

  private push(bytes: Uint8Array): this {
    this.parts.push(bytes);
    this.length += bytes.length;
    return this;
  }
}
