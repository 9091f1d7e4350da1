import { createRandom } from '@corpus-proximity/core/internal';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadCorpusIndex, type CorpusIndex } from '@corpus-proximity/core';
// @ts-expect-error plain ESM module without types
import { readWordNetGlosses, seededShuffle } from '../../../examples/wordnet/wordnet-corpus.mjs';
import { runCli } from './test-support/run-cli.js';

const work = mkdtempSync(join(tmpdir(), 'cp-analyze-'));
const indexDirectory = join(work, 'index');
const TOPICS = ['noun.animal', 'noun.food', 'noun.person', 'noun.plant'];
const PLANTED = 'noun.food';
interface Gloss {
  text: string;
  lexname: string;
}
let heldOut: Gloss[] = [];
let index: CorpusIndex;


beforeAll(async () => {
  // 150 WordNet glosses per topic make the corpus; 100 others per topic are the "model outputs" (with 50, which
  // cluster the few food outputs near a topic border land in decided whether p_adjusted fell below 0.01).
  const all = readWordNetGlosses() as Gloss[];
  const corpus: Gloss[] = [];
  for (const topic of TOPICS) {
    const glosses = seededShuffle(all.filter((gloss) => gloss.lexname === topic), 3) as Gloss[];
    corpus.push(...glosses.slice(0, 150));
    heldOut.push(...glosses.slice(150, 250));
  }
  writeFileSync(join(work, 'corpus.jsonl'), corpus.map((gloss) => JSON.stringify(gloss)).join('\n') + '\n');
  writeFileSync(join(work, 'config.json'), JSON.stringify({ dimensions: 96, clustering: { maxDepth: 2 }, umap: { nComponents: 5 } }));
  const built = await runCli(['index', join(work, 'corpus.jsonl'), '--output', indexDirectory, '--config', join(work, 'config.json'), '--yes', '-q']);
  expect(built.stderr).toContain('index written');
  index = await loadCorpusIndex(indexDirectory);
}, 600_000);

afterAll(() => rmSync(work, { recursive: true, force: true }));

/** Writes the held-out glosses as outputs with a label: food glosses are wrong 70% of the time, the others 10%. */
function writeLabelled(file: string, labels: boolean[]): string {
  const path = join(work, file);
  writeFileSync(path, heldOut.map((gloss, i) => JSON.stringify({ output: gloss.text, correct: labels[i] ? 'correct' : 'incorrect' })).join('\n') + '\n');
  return path;
}

function plantedLabels(): boolean[] {
  const next = createRandom(17);
  return heldOut.map((gloss) => next() > (gloss.lexname === PLANTED ? 0.7 : 0.1));
}

/** The topic most of a cluster's corpus chunks come from. */
function topicOf(clusterId: string): string {
  const tally = new Map<string, number>();
  index.assignment.clusters.forEach((cluster, chunk) => {
    if (cluster !== clusterId && !cluster.startsWith(`${clusterId}.`)) return;
    const topic = String(index.metadata[chunk]!.lexname);
    tally.set(topic, (tally.get(topic) ?? 0) + 1);
  });
  return [...tally].sort((a, b) => b[1] - a[1])[0]![0];
}

describe('corpus-proximity analyze', () => {
  it('puts the cluster where errors were planted on top, with p < 0.01 after correction', async () => {
    const result = await runCli(['analyze', writeLabelled('planted.jsonl', plantedLabels()), '--index', indexDirectory, '--label-field', 'correct', '--json', '--yes', '-q']);
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    const analysis = JSON.parse(result.stdout) as { clusters: Array<Record<string, any>>; overall: Record<string, any> };
    expect(analysis.overall.n).toBe(400);
    const top = analysis.clusters[0]!;
    expect(Object.keys(top)).toEqual(['cluster_id', 'cluster_name', 'depth', 'n', 'incorrect', 'expected_incorrect', 'cramers_v', 'p_value', 'p_adjusted', 'test']);
    expect(top.p_adjusted).toBeLessThan(0.01);
    expect(top.incorrect).toBeGreaterThan(top.expected_incorrect);
    expect(topicOf(top.cluster_id)).toBe(PLANTED);
    expect(index.getNode(top.cluster_id)?.name).toBe(top.cluster_name);
    // Every output counted once per level; sorted by adjusted p.
    for (const level of analysis.overall.levels) {
      const rows = analysis.clusters.filter((cluster) => cluster.depth === level.depth);
      expect(rows.reduce((sum, cluster) => sum + cluster.n, 0)).toBe(level.n);
    }
    expect(analysis.clusters.map((cluster) => cluster.p_adjusted)).toEqual(analysis.clusters.map((cluster) => cluster.p_adjusted).sort((a, b) => a - b));
    // Outputs whose sentences have no corpus evidence (no cluster) are left out of the tables and the score relations, and counted.
    expect(analysis.overall.skipped).toBeLessThan(40);
    expect(analysis.overall.distance.n).toBe(400 - analysis.overall.skipped);

    const table = await runCli(['analyze', join(work, 'planted.jsonl'), '--index', indexDirectory, '--label-field', 'correct', '--yes', '-q']);
    expect(table.code).toBe(0);
    expect(table.stdout).toContain(`label field "correct": 400 outputs, ${analysis.overall.incorrect} incorrect`);
    expect(table.stdout.split('\n').find((line) => line.trimStart().startsWith(`${top.cluster_id} `))).toContain(top.cluster_name.slice(0, 20));
  });

  it('finds nothing significant once the same labels are shuffled', async () => {
    const labels = plantedLabels();
    const next = createRandom(99);
    for (let i = labels.length - 1; i > 0; i--) {
      const j = Math.floor(next() * (i + 1));
      [labels[i], labels[j]] = [labels[j]!, labels[i]!];
    }
    const result = await runCli(['analyze', writeLabelled('shuffled.jsonl', labels), '--index', indexDirectory, '--label-field', 'correct', '--json', '--yes', '-q']);
    expect(result.code).toBe(0);
    const analysis = JSON.parse(result.stdout) as { clusters: Array<{ p_adjusted: number }> };
    expect(analysis.clusters.length).toBeGreaterThan(2);
    for (const cluster of analysis.clusters) expect(cluster.p_adjusted).toBeGreaterThanOrEqual(0.01);
  });

  it('accepts annotated JSONL (annotate --format json plus a label) without an index', async () => {
    const plain = writeLabelled('plain.jsonl', plantedLabels());
    const annotated = await runCli(['annotate', plain, '--index', indexDirectory, '--format', 'json', '--k', '1', '--yes', '-q']);
    expect(annotated.code).toBe(0);
    const labels = plantedLabels();
    const lines = annotated.stdout.trim().split('\n').map((line, i) => JSON.stringify({ ...JSON.parse(line), correct: labels[i] }));
    writeFileSync(join(work, 'annotated.jsonl'), lines.join('\n') + '\n');
    const fromAnnotated = await runCli(['analyze', join(work, 'annotated.jsonl'), '--label-field', 'correct', '--json']);
    expect(fromAnnotated.code).toBe(0);
    const direct = await runCli(['analyze', plain, '--index', indexDirectory, '--label-field', 'correct', '--json', '--yes', '-q']);
    expect(JSON.parse(fromAnnotated.stdout).clusters).toEqual(JSON.parse(direct.stdout).clusters);
  });

  it('says what is wrong with bad input, naming the file and line', async () => {
    const single = await runCli(['analyze', writeLabelled('single.jsonl', heldOut.map(() => true)), '--index', indexDirectory, '--label-field', 'correct', '--yes', '-q']);
    expect(single.code).toBe(1);
    expect(single.stderr).toMatch(/label field "correct"\): all 400 outputs are correct; with a single class there is nothing to compare .* no test can be run/);
    const missing = await runCli(['analyze', join(work, 'planted.jsonl'), '--index', indexDirectory, '--label-field', 'is_correct', '--yes', '-q']);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toBe(`error: ${join(work, 'planted.jsonl')}:1: no label field "is_correct"; the record has: output, correct. Pass --label-field FIELD.\n`);
    writeFileSync(join(work, 'odd.jsonl'), '{"output": "a cat", "correct": true}\n{"output": "a dog", "correct": "maybe"}\n');
    const odd = await runCli(['analyze', join(work, 'odd.jsonl'), '--index', indexDirectory, '--label-field', 'correct', '--yes', '-q']);
    expect(odd.stderr).toContain('odd.jsonl:2: label field "correct" is "maybe"; expected true/false, 1/0 or "correct"/"incorrect"');
    writeFileSync(join(work, 'broken.jsonl'), '{"output": "a cat", "correct": true}\n{"output": "a dog", \n');
    const broken = await runCli(['analyze', join(work, 'broken.jsonl'), '--index', indexDirectory, '--label-field', 'correct', '--yes', '-q']);
    expect(broken.code).toBe(1);
    expect(broken.stderr).toMatch(/broken\.jsonl:2: not valid JSON/);
    writeFileSync(join(work, 'empty.jsonl'), '');
    const empty = await runCli(['analyze', join(work, 'empty.jsonl'), '--index', indexDirectory, '--label-field', 'correct', '--yes']);
    expect(empty.stderr).toMatch(/empty\.jsonl: no model outputs to analyze \(the file is empty\)/);
    const noIndex = await runCli(['analyze', join(work, 'planted.jsonl'), '--label-field', 'correct']);
    expect(noIndex.code).toBe(2);
    expect(noIndex.stderr).toContain('planted.jsonl:1 is not annotated yet: pass --index DIR');
    for (const run of [single, missing, odd, broken, empty, noIndex]) expect(run.stderr).not.toMatch(/\n\s+at /);
  });

  it('annotate reads logprobs from saved API responses: avg_logprob per sentence, a warning naming the line when they do not fit', async () => {
    const responses = JSON.parse(readFileSync(new URL('../../annotate/src/fixtures/logprobs-responses.json', import.meta.url), 'utf8'));
    const mismatched = { output: 'Water boils at 90 °C on a mountain.', logprobs: responses.vllm_chat.choices[0].logprobs };
    const file = join(work, 'responses.jsonl');
    writeFileSync(file, [responses.vllm_chat, responses.openai_completions, mismatched].map((record) => JSON.stringify(record)).join('\n') + '\n');
    const result = await runCli(['annotate', file, '--index', indexDirectory, '--format', 'json', '--k', '1', '--yes', '-q']);
    expect(result.code).toBe(0);
    expect(result.stderr).toBe(`warning: ${file}:3: logprobs ignored, avg_logprob omitted: the 21 tokens spell "Water boils at 100 °C at sea level. It freezes at 0 °C.", not the output text "Water boils at 90 °C on a mountain."\n`);
    const [chat, completion, plain] = result.stdout.trim().split('\n').map((line) => JSON.parse(line));
    expect(chat.text).toBe(responses.vllm_chat.choices[0].message.content);
    const content = responses.vllm_chat.choices[0].logprobs.content as Array<{ token: string; logprob: number }>;
    const cut = content.findIndex((entry) => entry.token === ' It');
    const mean = (values: number[]) => values.reduce((sum, value) => sum + value, 0) / values.length;
    expect(chat.annotations.map((a: { avg_logprob: number }) => a.avg_logprob)).toEqual([
      expect.closeTo(mean(content.slice(0, cut).map((entry) => entry.logprob)), 12),
      expect.closeTo(mean(content.slice(cut).map((entry) => entry.logprob)), 12),
    ]);
    expect(completion.text).toBe(responses.openai_completions.choices[0].text);
    expect(completion.annotations.every((a: { avg_logprob?: number }) => typeof a.avg_logprob === 'number')).toBe(true);
    expect(plain.annotations.every((a: object) => !('avg_logprob' in a))).toBe(true);
    const chess = await runCli(['annotate', file, '--index', indexDirectory, '--k', '1', '--yes', '-q']);
    expect(chess.stdout).toMatch(/├─ "Water boils at 100 °C at sea level\." \(avg logprob -0\.\d\d\)/);
  });
});
