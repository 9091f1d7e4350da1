import { z } from 'zod';

const int = (min: number, max?: number) => (max === undefined ? z.number().int().min(min) : z.number().int().min(min).max(max));
const stageName = z.string().regex(/^[A-Za-z][\w-]*$/, 'a stage name starts with a letter and holds letters, digits, _ or - (e.g. pretrain, sft)');

/** The settings of `corpus-proximity index` (a --config file and the flags): types and ranges, checked before any work. */
export const indexConfigSchema = z.strictObject({
  $schema: z.string().optional().describe('JSON Schema of this file, for editors'),
  description: z.string().optional().describe('free text, ignored'),
  output: z.string().min(1).optional().describe('index folder to write (--output)'),
  inputs: z
    .array(z.union([z.string().min(1), z.strictObject({ path: z.string().min(1), stage: stageName.optional() })]))
    .optional()
    .describe('corpus inputs: paths, or { "path", "stage" }; before those on the command line'),
  stage: stageName.optional().describe('stage of inputs that name none (--stage); default "pretrain"'),
  textField: z.string().min(1).optional().describe('JSONL field with the text (--text-field); default "text"'),
  skipInvalid: z.boolean().optional().describe('skip malformed JSONL lines, counted in stats.json (--skip-invalid)'),
  seed: int(0).optional().describe('seed of the embedder fit, UMAP, HDBSCAN tie-breaks and sampling (--seed); default 42'),
  maxChunks: int(1).optional().describe('keep only the first N chunks (--max-chunks)'),
  embedder: z.string().min(1).optional().describe('lsa, arctic, onnx:<folder-or-model-id>, openai:<model>, or none with --embeddings (--embedder)'),
  device: z.enum(['cpu', 'cuda', 'auto']).optional().describe('ONNX embedders: where to run (--device)'),
  dtype: z.enum(['fp32', 'fp16', 'q8']).optional().describe('ONNX embedders: which weights file (--dtype)'),
  batchSize: int(1).optional().describe('texts per embedding call (--batch-size)'),
  checkpointEvery: int(1).optional().describe('embedding checkpoint interval in chunks (--checkpoint-every); default 50000'),
  requestTimeout: z.number().gt(0).max(86_400).optional().describe('seconds before one embeddings or naming API request is given up, then retried and reported (--request-timeout); default 60'),
  embeddingBaseUrl: z.string().url().optional().describe('OpenAI-compatible embeddings API (--embedding-base-url)'),
  fitSample: z.union([int(2), z.enum(['all', 'auto'])]).optional().describe('fit the tree on a seeded sample of N chunks (--fit-sample); "all" or "auto" (default)'),
  dimensions: int(1, 65536).optional().describe('dimensions of the LSA embedder (--dimensions, which also sets the size of an onnx:/openai: model); default 256'),
  chunking: z
    .strictObject({
      strategy: z.enum(['paragraph', 'words', 'tokens']).optional(),
      maxChars: int(1).optional(),
      windowWords: int(1).optional(),
      overlapWords: int(0).optional(),
      maxTokens: int(1, 510).optional(),
      overlap: z.number().min(0).lt(1).optional(),
    })
    .optional(),
  clustering: z
    .strictObject({
      maxDepth: int(0, 32).optional(),
      basePct: z.number().gt(0).max(1).optional(),
      decay: z.number().gt(0).max(1).optional(),
      silhouetteThreshold: z.number().min(-1).max(1).optional(),
      minSamples: int(1).optional(),
      tree: z.enum(['layers', 'recursive']).optional(),
      branching: z.union([int(2), z.literal('auto')]).optional(),
      consensusRuns: int(1, 20).optional(),
      baseMinClusterSize: z.union([int(2), z.literal('auto')]).optional(),
    })
    .optional(),
  umap: z.strictObject({ nComponents: int(1).optional(), nNeighbors: int(2).optional(), minDist: z.number().min(0).optional(), initIterations: int(1).optional(), knnOversampling: z.number().min(1).max(16).optional() }).optional(),
  hdbscan: z
    .strictObject({
      clusterSelectionMethod: z.enum(['eom', 'leaf']).optional(),
      clusterSelectionEpsilon: z.number().min(0).optional(),
      fragments: z.enum(['fall-out', 'shrink']).optional(),
    })
    .optional(),
  namer: z.string().min(1).optional().describe('keywords or openai:<model> (--namer)'),
  naming: z.strictObject({ concurrency: int(1).optional(), samplesPerCluster: int(1).optional() }).optional(),
  embeddingsDtype: z.enum(['float32', 'float16']).optional().describe('element type of embeddings.npy'),
});

/** A --config file after checking. */
export type IndexConfigInput = z.infer<typeof indexConfigSchema>;

/** The JSON Schema of a --config file (configs/schema.json is this, written by `pnpm config-schema`). */
export function indexConfigJsonSchema(): Record<string, unknown> {
  const schema = z.toJSONSchema(indexConfigSchema, { target: 'draft-7', io: 'input' }) as Record<string, unknown>;
  return { ...schema, $id: 'https://github.com/corpus-proximity/corpus-proximity/configs/schema.json', title: 'corpus-proximity index --config' };
}

/**
 * Checks `value` against the schema; returns the messages of every problem (empty when it is valid),
 * each naming the field (or the flag, through `nameOf`) and what is expected.
 */
export function checkIndexSettings(value: unknown, nameOf: (path: string) => string): string[] {
  const result = indexConfigSchema.safeParse(value);
  if (result.success) return [];
  return result.error.issues.map((issue) => {
    const path = issue.path.map(String).join('.');
    const name = nameOf(path);
    const actual = valueAt(value, issue.path);
    switch (issue.code) {
      case 'invalid_type':
        return `${name} is ${kindOf(actual)}, not ${expectedWord(issue.expected)}`;
      case 'unrecognized_keys':
        return `unknown key${issue.keys.length > 1 ? 's' : ''} ${issue.keys.map((key) => `"${path ? `${path}.` : ''}${key}"`).join(', ')}; known keys: ${knownKeys(issue.path)}`;
      case 'invalid_value':
        return `${name} is ${JSON.stringify(actual)}; expected ${issue.values.map((item) => JSON.stringify(item)).join(' or ')}`;
      case 'too_small':
        return `${name} is ${JSON.stringify(actual)}; must be ${issue.inclusive === false ? '>' : '≥'} ${String(issue.minimum)}${issue.origin === 'string' ? ' characters long' : ''}`;
      case 'too_big':
        return `${name} is ${JSON.stringify(actual)}; must be ${issue.inclusive === false ? '<' : '≤'} ${String(issue.maximum)}`;
      case 'invalid_union':
        return `${name} is ${JSON.stringify(actual)}; ${unionHint(path)}`;
      default:
        return `${name} is ${JSON.stringify(actual)}: ${issue.message}`;
    }
  });
}

function valueAt(value: unknown, path: readonly PropertyKey[]): unknown {
  let current = value;
  for (const key of path) current = current !== null && typeof current === 'object' ? (current as Record<PropertyKey, unknown>)[key] : undefined;
  return current;
}

function kindOf(value: unknown): string {
  if (value === undefined) return 'missing';
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'string') return `text (${JSON.stringify(value)})`;
  if (typeof value === 'number') return Number.isInteger(value) ? `a number (${value})` : `a number (${value})`;
  if (typeof value === 'boolean') return `${value}`;
  return 'an object';
}

function expectedWord(expected: string): string {
  return ({ string: 'text', number: 'a number', int: 'a whole number', boolean: 'true or false', object: 'an object { … }', array: 'a list [ … ]' } as Record<string, string>)[expected] ?? expected;
}

function knownKeys(path: readonly PropertyKey[]): string {
  let schema: z.ZodType = indexConfigSchema;
  for (const key of path) {
    const shape = objectShape(schema);
    if (!shape || !(String(key) in shape)) return '';
    schema = shape[String(key)]!;
  }
  return Object.keys(objectShape(schema) ?? {}).filter((key) => key !== '$schema').join(', ');
}

function objectShape(schema: z.ZodType): Record<string, z.ZodType> | undefined {
  let current: z.ZodType = schema;
  while (current instanceof z.ZodOptional) current = current.unwrap() as z.ZodType;
  return current instanceof z.ZodObject ? (current.shape as Record<string, z.ZodType>) : undefined;
}

function unionHint(path: string): string {
  if (path === 'fitSample') return 'expected a whole number ≥ 2, "all" or "auto"';
  if (path.startsWith('inputs')) return 'expected a path, or { "path": "...", "stage": "..." }';
  return 'not one of the accepted forms';
}
