import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { createGaussian, createRandom } from '@corpus-proximity/core/internal';
import { OnnxModelBuilder } from './onnx-model-builder.js';
import { tinyBertTokenizerConfig, tinyBertTokenizerJson, tinyBertVocabulary } from './tiny-bert-tokenizer.js';

/** Options of {@link writeTinyBertModel}. */
export interface TinyBertModelOptions {
  /** Hidden size (default 32). */
  hidden?: number;
  /** Transformer layers (default 1). */
  layers?: number;
  /** Feed-forward size (default 2 × hidden). */
  intermediate?: number;
  /** Extra WordPiece tokens (whole words or "##" pieces) beyond the built-in small vocabulary. */
  vocab?: readonly string[];
  /** Seed of the random weights (default 1). */
  seed?: number;
  /** Also write the same fp32 graph as model_quantized.onnx (q8) and/or model_fp16.onnx (fp16), to exercise dtype file selection. */
  dtypes?: readonly ('fp32' | 'q8' | 'fp16')[];
  /** Name of the graph's output (default last_hidden_state); another name makes a model the embedder must refuse. */
  outputName?: string;
}

const dtypeFiles = { fp32: 'model.onnx', q8: 'model_quantized.onnx', fp16: 'model_fp16.onnx' } as const;
const maxPositions = 512;

/**
 * Writes a tiny, randomly initialized BERT-shaped model folder (config.json, tokenizer.json,
 * tokenizer_config.json, onnx/model.onnx: opset 17, IR 8; inputs input_ids, attention_mask,
 * token_type_ids int64 [batch, sequence]; output last_hidden_state float32) with no dependencies.
 * Its vectors mean nothing, but they depend on every token and ignore padding: made for tests and demos.
 */
export async function writeTinyBertModel(directory: string, options: TinyBertModelOptions = {}): Promise<{ files: string[]; vocabularySize: number }> {
  const hidden = options.hidden ?? 32;
  const layers = options.layers ?? 1;
  const intermediate = options.intermediate ?? hidden * 2;
  const vocabulary = tinyBertVocabulary(options.vocab);
  const model = buildTinyBertOnnx({ hidden, layers, intermediate, vocabularySize: vocabulary.length, seed: options.seed ?? 1, outputName: options.outputName });
  const config = {
    model_type: 'bert',
    architectures: ['BertModel'],
    hidden_size: hidden,
    num_hidden_layers: layers,
    num_attention_heads: 1,
    intermediate_size: intermediate,
    hidden_act: 'relu',
    vocab_size: vocabulary.length,
    max_position_embeddings: maxPositions,
    type_vocab_size: 2,
    layer_norm_eps: 1e-12,
    pad_token_id: 0,
  };
  await mkdir(join(directory, 'onnx'), { recursive: true });
  const files: Record<string, string | Uint8Array> = {
    'config.json': JSON.stringify(config, null, 2),
    'tokenizer.json': JSON.stringify(tinyBertTokenizerJson(vocabulary)),
    'tokenizer_config.json': JSON.stringify(tinyBertTokenizerConfig(), null, 2),
  };
  for (const dtype of new Set<keyof typeof dtypeFiles>(options.dtypes ?? ['fp32'])) files[`onnx/${dtypeFiles[dtype]}`] = model;
  for (const [name, content] of Object.entries(files)) await writeFile(join(directory, name), content);
  return { files: Object.keys(files), vocabularySize: vocabulary.length };
}

/** The ONNX bytes of the tiny BERT: embeddings + LayerNorm, then `layers` × (masked single-head attention + feed-forward). */
export function buildTinyBertOnnx(shape: { hidden: number; layers: number; intermediate: number; vocabularySize: number; seed: number; outputName?: string }): Uint8Array {
  const { hidden: h, intermediate } = shape;
  const b = new OnnxModelBuilder();
  const gaussian = createGaussian(createRandom(shape.seed), { pairs: true });
  const weight = (name: string, dims: number[], scale: number) =>
    b.floatTensor(name, dims, Float32Array.from({ length: dims.reduce((a, c) => a * c, 1) }, () => gaussian() * scale));
  const constant = (name: string, dims: number[], value: number) => b.floatTensor(name, dims, new Float32Array(dims.reduce((a, c) => a * c, 1)).fill(value));
  const layerNorm = (x: string, name: string) =>
    b.node('LayerNormalization', [x, constant(`${name}.gamma`, [h], 1), constant(`${name}.beta`, [h], 0)], { axis: { int: -1 }, epsilon: { float: 1e-12 } });
  const linear = (x: string, name: string, inputs: number, outputs: number) =>
    b.node('Add', [b.node('MatMul', [x, weight(`${name}.weight`, [inputs, outputs], 1 / Math.sqrt(inputs))]), weight(`${name}.bias`, [outputs], 0.02)]);

  const ids = b.input('input_ids', 'int64', ['batch', 'sequence']);
  const mask = b.input('attention_mask', 'int64', ['batch', 'sequence']);
  const types = b.input('token_type_ids', 'int64', ['batch', 'sequence']);
  const words = b.node('Gather', [weight('embeddings.word', [shape.vocabularySize, h], 1), ids], { axis: { int: 0 } });
  const length = b.node('Gather', [b.node('Shape', [ids]), b.int64Tensor('const.one_index', [], [1])], { axis: { int: 0 } });
  const positionIds = b.node('Range', [b.int64Tensor('const.zero', [], [0]), length, b.int64Tensor('const.step', [], [1])]);
  const positions = b.node('Gather', [weight('embeddings.position', [maxPositions, h], 0.5), positionIds], { axis: { int: 0 } });
  const typeVectors = b.node('Gather', [weight('embeddings.token_type', [2, h], 0.5), types], { axis: { int: 0 } });
  let state = layerNorm(b.node('Add', [b.node('Add', [words, positions]), typeVectors]), 'embeddings.norm');

  // Additive mask: 0 where attention_mask is 1, -10000 at padding, shaped [batch, 1, sequence].
  const inverted = b.node('Sub', [constant('const.one', [], 1), b.node('Cast', [mask], { to: { int: 1 } })]);
  const maskBias = b.node('Unsqueeze', [b.node('Mul', [inverted, constant('const.mask_value', [], -10000)]), b.int64Tensor('const.axis1', [1], [1])]);

  for (let layer = 0; layer < shape.layers; layer++) {
    const name = `layer${layer}`;
    const query = linear(state, `${name}.query`, h, h);
    const key = linear(state, `${name}.key`, h, h);
    const value = linear(state, `${name}.value`, h, h);
    const scores = b.node('Mul', [b.node('MatMul', [query, b.node('Transpose', [key], { perm: { ints: [0, 2, 1] } })]), constant(`${name}.scale`, [], 1 / Math.sqrt(h))]);
    const probabilities = b.node('Softmax', [b.node('Add', [scores, maskBias])], { axis: { int: -1 } });
    const attention = linear(b.node('MatMul', [probabilities, value]), `${name}.attention_output`, h, h);
    state = layerNorm(b.node('Add', [state, attention]), `${name}.attention_norm`);
    const feedForward = linear(b.node('Relu', [linear(state, `${name}.intermediate`, h, intermediate)]), `${name}.output`, intermediate, h);
    state = layerNorm(b.node('Add', [state, feedForward]), `${name}.output_norm`);
  }
  b.output(shape.outputName ?? 'last_hidden_state', state, 'float32', ['batch', 'sequence', h]);
  return b.encode('tiny-bert', 'corpus-proximity');
}
