import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openIndex } from '@corpus-proximity/annotate';
import { InvalidInputError } from '@corpus-proximity/core';
import { encodeNpy } from '@corpus-proximity/core/internal';
import { createOnnxEmbedder } from '@corpus-proximity/embedders';
import { runCli } from './test-support/run-cli.js';

const work = mkdtempSync(join(tmpdir(), 'cp-query-embedder-'));
const model = join(work, 'tiny-bert');
const output = join(work, 'precomputed-index');
const topics = ['the bird has feathers and a wing and a nest', 'bake the bread dough in a hot oven', 'the judge heard the lawyer in court'];

beforeAll(async () => {
  expect((await runCli(['tiny-model', '--out', model])).code).toBe(0);
  // Embeddings made elsewhere (here: by the tiny ONNX model, as documents), then indexed without an embedder.
  const texts = Array.from({ length: 240 }, (_, i) => `${topics[i % 3]} number ${i % 11}`);
  const embedder = createOnnxEmbedder({ model, device: 'cpu' });
  const { embeddings } = await embedder.doEmbed({ values: texts, inputType: 'document' });
  const dimension = embeddings[0]!.length;
  const data = new Float32Array(texts.length * dimension);
  embeddings.forEach((vector, row) => data.set(vector, row * dimension));
  writeFileSync(join(work, 'emb.npy'), encodeNpy(data, [texts.length, dimension], 'float32'));
  writeFileSync(join(work, 'chunks.jsonl'), texts.map((text, idx) => JSON.stringify({ idx, text })).join('\n'));
  writeFileSync(join(work, 'config.json'), JSON.stringify({ clustering: { maxDepth: 1 }, umap: { nComponents: 4 } }));
  const built = await runCli(['index', '--embeddings', join(work, 'emb.npy'), '--chunks', join(work, 'chunks.jsonl'), '--output', output, '--config', join(work, 'config.json'), '--yes', '-q']);
  expect(built.stderr).toContain('index written');
}, 300_000);

afterAll(() => rmSync(work, { recursive: true, force: true }));

describe('indexes built from --embeddings', () => {
  it('annotate needs --query-embedder, says so, and works with one', async () => {
    const input = `${JSON.stringify({ output: 'Bake the bread dough in a hot oven.' })}\n`;
    const without = await runCli(['annotate', '-', '--index', output, '--format', 'json', '--yes', '-q'], { input });
    expect(without.code).toBe(1);
    expect(without.stderr).toMatch(/built from precomputed embeddings \(--embeddings\), so it records no embedder .* --query-embedder SPEC/);
    expect(without.stderr).toContain('onnx:<folder-or-model-id>');
    const withSpec = await runCli(['annotate', '-', '--index', output, '--format', 'json', '--query-embedder', `onnx:${model}`, '--yes', '-q'], { input });
    expect(withSpec.stderr).toBe('');
    expect(withSpec.code).toBe(0);
    const annotated = JSON.parse(withSpec.stdout);
    expect(annotated.annotations[0].distance).toBeLessThan(0.2);
    expect(annotated.annotations[0].nearest_chunk_text).toMatch(/^bake the bread/);
    const unknown = await runCli(['annotate', '-', '--index', output, '--query-embedder', 'magic:v2', '--yes', '-q'], { input });
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toMatch(/unknown embedder "magic:v2"; registered: lsa .*, arctic .*, onnx:<folder-or-model-id> .*, openai:<model> .*registerEmbedder/);
  });

  it('openIndex takes queryEmbedder as a spec string or an EmbedderV1', async () => {
    await expect(openIndex(output)).rejects.toThrow(/records no embedder to embed queries with/);
    await expect(openIndex(output)).rejects.toSatisfy((error) => InvalidInputError.isInstance(error));
    for (const queryEmbedder of [`onnx:${model}`, createOnnxEmbedder({ model, device: 'cpu' })]) {
      const opened = await openIndex(output, { queryEmbedder });
      const result = await opened.annotate('The judge heard the lawyer in court.');
      expect(result.annotations[0]!.nearestChunkText).toMatch(/^the judge heard/);
      const hits = await opened.search('a bird with feathers', { k: 3 });
      expect(hits).toHaveLength(3);
      for (const hit of hits) expect(hit.text).toMatch(/^the bird has feathers/);
    }
    // An embedder that must first be fitted on the corpus cannot embed queries fresh.
    await expect(openIndex(output, { queryEmbedder: 'lsa' })).rejects.toThrow(/"lsa" is fitted on the corpus at index time/);
  });
});
