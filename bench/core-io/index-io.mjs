// Index folder I/O at the design's scale: write and load 100K chunks × 1024 dims (float32 and float16),
// plus JSONL corpus reading and paragraph chunking throughput.
// Run after `pnpm --filter @corpus-proximity/core build`: node bench/core-io/index-io.mjs [chunks] [dimension]
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chunkDocuments, chunkParagraphs, loadCorpusIndex, readCorpusDocuments, writeCorpusIndex } from '../../packages/core/dist/index.js';

const chunks = Number(process.argv[2] ?? 100_000);
const dimension = Number(process.argv[3] ?? 1024);
const folder = await mkdtemp(join(tmpdir(), 'cp-bench-io-'));
const seconds = (start) => ((performance.now() - start) / 1000).toFixed(2);
const rss = () => `${Math.round(process.memoryUsage().rss / 2 ** 20)} MiB rss`;

let state = 12345;
const random = () => ((state = (state * 1103515245 + 12345) >>> 0) / 2 ** 32);
const words = ['corpus', 'model', 'training', 'data', 'cluster', 'embedding', 'sentence', 'proximity', 'token', 'shard'];
const sentence = () => Array.from({ length: 12 }, () => words[Math.floor(random() * words.length)]).join(' ') + '.';

try {
  // Corpus reading and chunking.
  const corpusFile = join(folder, 'corpus.jsonl');
  const lines = Array.from({ length: chunks / 4 }, (_, i) => JSON.stringify({ text: Array.from({ length: 4 }, () => Array.from({ length: 6 }, sentence).join(' ')).join('\n\n'), id: i }));
  await writeFile(corpusFile, lines.join('\n'));
  let start = performance.now();
  const corpus = await readCorpusDocuments([{ path: corpusFile }]);
  console.log(`readCorpusDocuments: ${corpus.documents.length} docs in ${seconds(start)} s`);
  start = performance.now();
  const chunked = chunkDocuments(corpus.documents, (text) => chunkParagraphs(text), { sources: corpus.sources });
  console.log(`chunkDocuments(paragraphs): ${chunked.chunks.length} chunks in ${seconds(start)} s`);

  const embeddings = new Float32Array(chunks * dimension);
  for (let i = 0; i < embeddings.length; i++) embeddings[i] = random() * 0.06 - 0.03;
  const tree = { cluster_id: '0', name: 'root', depth: 0, size: chunks, silhouette: null, split_silhouette: null, noise_count: 0, samples: [0], centroid_row: 0, children: [] };
  const data = {
    chunks: chunked.chunks.slice(0, chunks),
    metadata: chunked.metadata.slice(0, chunks),
    embeddings,
    dimension,
    tree,
    centroids: new Float32Array(dimension),
    assignment: { clusters: new Array(chunks).fill('0'), noise: [] },
    stats: {},
    config: {},
    embedder: { provider: 'bench', modelId: 'random', dimensions: dimension },
    documents: corpus.documents.length,
    sources: 1,
  };
  for (const dtype of ['float32', 'float16']) {
    const directory = join(folder, dtype);
    start = performance.now();
    const manifest = await writeCorpusIndex(directory, data, { dtype });
    console.log(`writeCorpusIndex ${dtype}: ${chunks} × ${dimension} in ${seconds(start)} s (embeddings.npy ${(manifest.files['embeddings.npy'].bytes / 2 ** 20).toFixed(0)} MiB), ${rss()}`);
    for (const verifyChecksums of [true, false]) {
      start = performance.now();
      const index = await loadCorpusIndex(directory, { verifyChecksums });
      console.log(`loadCorpusIndex ${dtype} verify=${verifyChecksums}: ${index.count} chunks in ${seconds(start)} s, ${rss()}`);
    }
  }
} finally {
  await rm(folder, { recursive: true, force: true });
}
