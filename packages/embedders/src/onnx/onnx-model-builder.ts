import { ProtobufWriter } from './protobuf-writer.js';

// Field numbers and enums from onnx/onnx.proto.
const FLOAT = 1;
const INT64 = 7;
const attributeType = { float: 1, int: 2, ints: 7 } as const;
const littleEndian = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;

/** An attribute value of an ONNX node: a float, an integer or a list of integers. */
export type OnnxAttribute = { float: number } | { int: number } | { ints: number[] };

/** Collects nodes, initializers, inputs and outputs, and encodes them as an ONNX ModelProto. */
export class OnnxModelBuilder {
  private readonly nodes: Uint8Array[] = [];
  private readonly initializers: Uint8Array[] = [];
  private readonly inputs: Uint8Array[] = [];
  private readonly outputs: Uint8Array[] = [];
  private counter = 0;

  /** Adds a node and returns the name of its (first) output. */
  node(opType: string, inputs: string[], attributes: Record<string, OnnxAttribute> = {}, outputCount = 1): string {
    const name = `${opType.toLowerCase()}_${this.counter++}`;
    const writer = new ProtobufWriter();
    for (const input of inputs) writer.string(1, input);
    for (let i = 0; i < outputCount; i++) writer.string(2, outputCount === 1 ? name : `${name}_${i}`);
    writer.string(3, name).string(4, opType);
    for (const [key, value] of Object.entries(attributes)) writer.bytes(5, encodeAttribute(key, value));
    this.nodes.push(writer.finish());
    return outputCount === 1 ? name : `${name}_0`;
  }

  /** Adds a float32 initializer (a weight) and returns its name. */
  floatTensor(name: string, dims: number[], values: Float32Array): string {
    // ONNX raw_data is little-endian: on little-endian hosts the array's own bytes are already right.
    let raw = new Uint8Array(values.buffer, values.byteOffset, values.byteLength);
    if (!littleEndian) {
      raw = new Uint8Array(values.length * 4);
      const view = new DataView(raw.buffer);
      values.forEach((value, i) => view.setFloat32(i * 4, value, true));
    }
    this.initializers.push(new ProtobufWriter().packedVarints(1, dims).varint(2, FLOAT).string(8, name).bytes(9, raw).finish());
    return name;
  }

  /** Adds an int64 initializer (axes, constants) and returns its name. */
  int64Tensor(name: string, dims: number[], values: number[]): string {
    const raw = new Uint8Array(values.length * 8);
    const view = new DataView(raw.buffer);
    values.forEach((value, i) => view.setBigInt64(i * 8, BigInt(value), true));
    this.initializers.push(new ProtobufWriter().packedVarints(1, dims).varint(2, INT64).string(8, name).bytes(9, raw).finish());
    return name;
  }

  /** Declares a graph input; string dims are symbolic (e.g. "batch"). */
  input(name: string, elementType: 'float32' | 'int64', dims: (number | string)[]): string {
    this.inputs.push(valueInfo(name, elementType, dims));
    return name;
  }

  /** Declares a graph output produced by the node output `from`, renamed through an Identity node. */
  output(name: string, from: string, elementType: 'float32' | 'int64', dims: (number | string)[]): void {
    const writer = new ProtobufWriter().string(1, from).string(2, name).string(3, `output_${name}`).string(4, 'Identity');
    this.nodes.push(writer.finish());
    this.outputs.push(valueInfo(name, elementType, dims));
  }

  /** Encodes the model (IR version 8, default-domain opset 17). */
  encode(graphName: string, producer: string): Uint8Array {
    const graph = new ProtobufWriter();
    for (const node of this.nodes) graph.bytes(1, node);
    graph.string(2, graphName);
    for (const initializer of this.initializers) graph.bytes(5, initializer);
    for (const input of this.inputs) graph.bytes(11, input);
    for (const output of this.outputs) graph.bytes(12, output);
    const opset = new ProtobufWriter().string(1, '').varint(2, 17).finish();
    return new ProtobufWriter().varint(1, 8).string(2, producer).string(3, '1').bytes(7, graph.finish()).bytes(8, opset).finish();
  }
}

function encodeAttribute(name: string, value: OnnxAttribute): Uint8Array {
  const writer = new ProtobufWriter().string(1, name);
  if ('float' in value) writer.float(2, value.float).varint(20, attributeType.float);
  else if ('int' in value) writer.varint(3, value.int).varint(20, attributeType.int);
  else {
    for (const item of value.ints) writer.varint(8, item);
    writer.varint(20, attributeType.ints);
  }
  return writer.finish();
}

function valueInfo(name: string, elementType: 'float32' | 'int64', dims: (number | string)[]): Uint8Array {
  const shape = new ProtobufWriter();
  for (const dim of dims) shape.bytes(1, typeof dim === 'number' ? new ProtobufWriter().varint(1, dim).finish() : new ProtobufWriter().string(2, dim).finish());
  const tensorType = new ProtobufWriter().varint(1, elementType === 'float32' ? FLOAT : INT64).bytes(2, shape.finish()).finish();
  const type = new ProtobufWriter().bytes(1, tensorType).finish();
  return new ProtobufWriter().string(1, name).bytes(2, type).finish();
}
