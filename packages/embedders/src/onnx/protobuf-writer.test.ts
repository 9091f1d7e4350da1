import { describe, expect, it } from 'vitest';
import { ProtobufWriter } from './protobuf-writer.js';
import { buildTinyBertOnnx } from './write-tiny-bert-model.js';

describe('ProtobufWriter', () => {
  it('encodes varints, negative int64, floats, strings and packed fields as protobuf does', () => {
    expect(Array.from(new ProtobufWriter().varint(1, 150).finish())).toEqual([0x08, 0x96, 0x01]);
    expect(Array.from(new ProtobufWriter().varint(3, -1).finish())).toEqual([0x18, ...Array(9).fill(0xff), 0x01]);
    expect(Array.from(new ProtobufWriter().string(2, 'testing').finish())).toEqual([0x12, 0x07, ...Buffer.from('testing')]);
    expect(Array.from(new ProtobufWriter().float(2, 1).finish())).toEqual([0x15, 0x00, 0x00, 0x80, 0x3f]);
    expect(Array.from(new ProtobufWriter().packedVarints(4, [3, 270, 86942]).finish())).toEqual([0x22, 0x06, 0x03, 0x8e, 0x02, 0x9e, 0xa7, 0x05]);
  });
});

describe('buildTinyBertOnnx', () => {
  it('is deterministic for a seed and starts with the IR version field', () => {
    const shape = { hidden: 8, layers: 2, intermediate: 16, vocabularySize: 50, seed: 3 };
    const model = buildTinyBertOnnx(shape);
    expect(Array.from(model.subarray(0, 2))).toEqual([0x08, 0x08]);
    expect(Buffer.from(buildTinyBertOnnx(shape)).equals(Buffer.from(model))).toBe(true);
    expect(Buffer.from(buildTinyBertOnnx({ ...shape, seed: 4 })).equals(Buffer.from(model))).toBe(false);
    for (const name of ['input_ids', 'attention_mask', 'token_type_ids', 'last_hidden_state', 'LayerNormalization', 'Softmax']) {
      expect(Buffer.from(model).includes(name)).toBe(true);
    }
  });
});
