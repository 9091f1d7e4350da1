/**
 * One call from TypeScript: open an index with its query embedder (restored from the manifest), then
 * annotate one string (the README's three lines), a batch carrying engine logprobs, search the nearest
 * chunks, and walk the cluster tree.
 *
 * Run it (after `pnpm install && pnpm build`):
 *   cd examples && pnpm exec tsx open-index.ts <index-folder>
 */
import { resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { formatChess, openIndex, type ChunkHit, type ClusterSummary, type OpenedIndex } from '@corpus-proximity/annotate';
import type { AnnotatedOutput } from '@corpus-proximity/core';

/** What the example computed. */
export interface OpenIndexExampleResult {
  opened: OpenedIndex;
  one: AnnotatedOutput;
  batch: AnnotatedOutput[];
  hits: ChunkHit[];
  cluster: ClusterSummary;
  warnings: string[];
}

/** The chat-completions logprobs shape (OpenAI, vLLM) for a text cut at spaces, with made-up logprobs. */
export function chatLogprobs(text: string): { content: Array<{ token: string; logprob: number; bytes: number[]; top_logprobs: [] }> } {
  const tokens = text.match(/\s*\S+/g) ?? [];
  return { content: tokens.map((token, i) => ({ token, logprob: -0.1 * (i % 7), bytes: [...new TextEncoder().encode(token)], top_logprobs: [] })) };
}

/** Opens the index and uses each part of the one-call API. */
export async function main(options: { indexDirectory: string; log?: (line: string) => void }): Promise<OpenIndexExampleResult> {
  const log = options.log ?? console.log;
  const warnings: string[] = [];

  // The README's example: open, annotate one string, print it chess-style.
  const index = await openIndex(options.indexDirectory);
  const one = await index.annotate('A sparrow is a small brown bird that eats seeds. Bread is baked from flour and water.');
  log(formatChess(one));

  // A batch, as an eval harness has it: strings, or records with a prompt and the engine's logprobs.
  const answer = 'A tomato is a red fruit eaten as a vegetable. The oak is a tall tree.';
  const batch = await index.annotate(
    [
      'An apple is a fruit with red or green skin.',
      { text: answer, prompt: 'Name a fruit and a tree.', logprobs: chatLogprobs(answer) },
      // Logprobs of another text: warned about, and no avg_logprob is made up.
      { text: 'Wine is made from grapes.', logprobs: chatLogprobs('Beer is made from barley.') },
    ],
    { k: 2, onWarning: (message) => warnings.push(message) },
  );
  for (const annotation of batch[1]!.annotations.filter((a) => a.rank === 1)) log(`${annotation.textSpan} → ${annotation.clusterName} (avg logprob ${annotation.avgLogprob?.toFixed(2)})`);

  // The nearest corpus chunks, and the tree around the first sentence's cluster.
  const hits = await index.search('a small songbird', { k: 5 });
  for (const hit of hits) log(`d=${hit.distance.toFixed(3)} [${hit.clusterName}] ${hit.text.slice(0, 60)}`);
  const cluster = index.cluster(one.annotations[0]!.clusterId);
  log(`${cluster.clusterId} ${cluster.path.join(' › ')}: ${cluster.size} chunks, children ${cluster.childIds.join(', ') || 'none'}`);
  return { opened: index, one, batch, hits, cluster, warnings };
}

if (process.argv[1] && import.meta.url === pathToFileURL(resolve(process.argv[1])).href) {
  const indexDirectory = process.argv[2];
  if (!indexDirectory) {
    console.error(`usage: pnpm exec tsx ${fileURLToPath(import.meta.url)} <index-folder>`);
    process.exit(2);
  }
  await main({ indexDirectory });
}
