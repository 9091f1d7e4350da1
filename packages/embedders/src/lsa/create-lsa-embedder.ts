import { AbortedError, InvalidInputError, PluginError, type EmbedderState, type EmbedderV1, type ProgressListener } from '@corpus-proximity/core';
import { createRandom } from '@corpus-proximity/core/internal';
import { decodeLsaState, encodeLsaState, type LsaModel } from './lsa-state.js';
import { randomizedSvd } from './randomized-svd.js';
import { fitTfidfVocabulary, tfidfRows, tfidfVector } from './tfidf-vocabulary.js';
import { countWords } from './word-tokens.js';

/** Settings of {@link createLsaEmbedder}. */
export interface LsaEmbedderSettings {
  /** Components wanted (default 256); fewer when the corpus has fewer documents, terms or rank — see `dimensions`. */
  dimensions?: number;
  /** Largest vocabulary, most frequent terms by document frequency first (default 50,000). */
  maxFeatures?: number;
  /** A term must be in at least this many documents (default 2; never more than the corpus size). */
  minDocumentFrequency?: number;
  /** Use 1 + ln(tf) instead of raw term counts (default true). */
  sublinearTf?: boolean;
  /** Power iterations of the randomized SVD (default 4). */
  powerIterations?: number;
  /** Extra random directions of the randomized SVD (default 10). */
  oversamples?: number;
  /** Fit on a seeded random sample of at most this many documents (default 200,000); every text can still be embedded. */
  fitSampleSize?: number;
  /** A state from `exportState()` (stored in an index): the embedder is then ready without `doFit`. */
  state?: EmbedderState;
  /** Receives warnings such as a dimension reduction (default: `process.emitWarning`). */
  onWarning?: (message: string) => void;
}

/** What the last `doFit` found. */
export interface LsaFitReport {
  /** Documents the model was fitted on (a sample when the corpus is larger than `fitSampleSize`). */
  documents: number;
  /** Documents given to doFit. */
  corpusDocuments: number;
  terms: number;
  requestedDimensions: number;
  dimensions: number;
  minDocumentFrequency: number;
  singularValues: number[];
  warnings: string[];
}

/** The LSA embedder: an {@link EmbedderV1} that must be fitted (or restored from a state) before it embeds. */
export interface LsaEmbedder extends EmbedderV1 {
  /** Requested dimensions before fitting; the real number after `doFit` or when restored from a state. */
  readonly dimensions: number;
  /** `tfidf-svd-${dimensions}`. */
  readonly modelId: string;
  /** Set by `doFit`; undefined for a restored embedder. */
  readonly fitReport: LsaFitReport | undefined;
  doFit(options: { values: string[]; seed: number; onProgress?: ProgressListener; abortSignal?: AbortSignal }): Promise<void>;
  exportState(): EmbedderState;
}

/**
 * The offline default embedder: TF-IDF (unigrams, stop words removed, smooth idf, sublinear tf,
 * L2-normalized rows) projected on the top right singular vectors of the corpus's TF-IDF matrix
 * (seeded randomized SVD), then L2-normalized. Needs no weights and no network.
 *
 * Embedding = tfidf(text) · V_k, normalized. A text with no known term (or whose projection vanishes)
 * gets, as a query, the zero vector: "nothing known" (cosine distance 1 to every chunk, never 0), never
 * NaN and never a fixed unit vector that would sit on real chunks; annotate reports it as no corpus
 * evidence. A corpus chunk (inputType 'document') with no known term — rare: each of its words is in
 * fewer than minDocumentFrequency chunks — keeps e₀ so every stored row stays unit length.
 * Same corpus, settings and seed → byte-identical vectors.
 */
export function createLsaEmbedder(settings: LsaEmbedderSettings = {}): LsaEmbedder {
  const requested = positiveInteger(settings.dimensions ?? 256, 'dimensions');
  const maxFeatures = positiveInteger(settings.maxFeatures ?? 50_000, 'maxFeatures');
  const minDocumentFrequency = positiveInteger(settings.minDocumentFrequency ?? 2, 'minDocumentFrequency');
  const powerIterations = positiveInteger(settings.powerIterations ?? 4, 'powerIterations');
  const oversamples = positiveInteger(settings.oversamples ?? 10, 'oversamples');
  const fitSampleSize = positiveInteger(settings.fitSampleSize ?? 200_000, 'fitSampleSize');
  const sublinearTf = settings.sublinearTf ?? true;
  const warn = settings.onWarning ?? ((message: string) => process.emitWarning(message, 'CorpusProximityWarning'));
  let model: LsaModel | undefined = settings.state ? decodeLsaState(settings.state) : undefined;
  let fitReport: LsaFitReport | undefined;

  const embedOne = (text: string, active: LsaModel, inputType: 'query' | 'document'): Float32Array => {
    const { indices, weights } = tfidfVector(text, active.vocabulary, active.sublinearTf);
    const k = active.dimensions;
    const sum = new Float64Array(k);
    for (let i = 0; i < indices.length; i++) {
      const weight = weights[i]!;
      const base = indices[i]! * k;
      for (let d = 0; d < k; d++) sum[d]! += weight * active.components[base + d]!;
    }
    let norm = 0;
    for (let d = 0; d < k; d++) norm += sum[d]! * sum[d]!;
    norm = Math.sqrt(norm);
    const out = new Float32Array(k);
    // Nothing known: a query gets the zero vector, so nothing is ever near it (e₀ coincided with real chunks).
    if (!(norm > 1e-12)) {
      if (inputType === 'document') out[0] = 1;
    } else for (let d = 0; d < k; d++) out[d] = sum[d]! / norm;
    return out;
  };

  return {
    specificationVersion: 'embedder-v1',
    provider: 'lsa',
    get modelId() {
      return `tfidf-svd-${model?.dimensions ?? requested}`;
    },
    get dimensions() {
      return model?.dimensions ?? requested;
    },
    maxTokens: 100_000,
    maxEmbeddingsPerCall: 4096,
    get fitReport() {
      return fitReport;
    },
    countTokens: countWords,

    async doFit({ values: corpus, seed, onProgress, abortSignal }) {
      const checkAbort = () => {
        if (abortSignal?.aborted) throw new AbortedError('lsa: fitting was aborted');
      };
      checkAbort();
      if (corpus.length === 0) throw new InvalidInputError('lsa: cannot fit on an empty corpus; give doFit at least one document');
      const values = corpus.length > fitSampleSize ? seededSample(corpus, fitSampleSize, seed) : corpus;
      const svdSteps = powerIterations + 2;
      const total = svdSteps + 2;
      const minDf = Math.min(minDocumentFrequency, values.length);
      const vocabulary = fitTfidfVocabulary(values, { maxFeatures, minDocumentFrequency: minDf });
      const sampled = values.length < corpus.length ? ` from a seeded sample of ${values.length} of ${corpus.length} documents` : '';
      onProgress?.({ stage: 'fit', done: 1, total, message: `vocabulary: ${vocabulary.terms.length} terms${sampled}` });
      if (vocabulary.terms.length === 0) {
        // A corpus of punctuation, symbols or emoji has no words at all: lowering a threshold would not help.
        if (!values.some((value) => /[\p{L}\p{N}]/u.test(value))) {
          throw new InvalidInputError(`lsa: the ${values.length} chunk(s) hold no letters or digits (only punctuation or symbols), so there is nothing to index; check the input files and --text-field`);
        }
        throw new InvalidInputError(`lsa: no word appears in at least ${minDf} of the ${values.length} documents; lower minDocumentFrequency or give a larger corpus`);
      }
      checkAbort();
      const rows = tfidfRows(values, vocabulary, sublinearTf);
      onProgress?.({ stage: 'fit', done: 2, total, message: `tf-idf: ${rows.indices.length} non-zeros` });
      const svd = randomizedSvd(rows, {
        components: requested,
        seed,
        oversamples,
        powerIterations,
        checkAbort,
        onStep: (done) => onProgress?.({ stage: 'fit', done: 2 + done, total, message: `svd step ${done}/${svdSteps}` }),
      });
      const warnings: string[] = [];
      if (svd.rank < requested) {
        warnings.push(`lsa: reduced dimensions from ${requested} to ${svd.rank}: the corpus has ${values.length} documents, ${vocabulary.terms.length} terms and numerical rank ${svd.rank}`);
      }
      model = {
        vocabulary,
        components: Float32Array.from(svd.components),
        dimensions: svd.rank,
        sublinearTf,
        settings: { requestedDimensions: requested, maxFeatures, minDocumentFrequency: minDf, powerIterations, oversamples, seed, documents: values.length, corpusDocuments: corpus.length },
      };
      fitReport = {
        documents: values.length,
        corpusDocuments: corpus.length,
        terms: vocabulary.terms.length,
        requestedDimensions: requested,
        dimensions: svd.rank,
        minDocumentFrequency: minDf,
        singularValues: Array.from(svd.singularValues),
        warnings,
      };
      for (const message of warnings) {
        onProgress?.({ stage: 'fit', done: total, total, message });
        warn(message);
      }
    },

    exportState() {
      if (!model) throw new PluginError('lsa', 'exportState called before doFit: fit the embedder on the corpus first');
      return encodeLsaState(model);
    },

    async doEmbed({ values, inputType, abortSignal }) {
      const active = model;
      if (!active) {
        throw new PluginError('lsa', 'doEmbed called before the embedder was fitted: call doFit on the corpus first, or create it from a stored index with createLsaEmbedder({ state }) / embedderFromManifest');
      }
      const embeddings: Float32Array[] = [];
      for (let i = 0; i < values.length; i++) {
        if (i % 1024 === 0 && abortSignal?.aborted) throw new AbortedError('lsa: embedding was aborted');
        embeddings.push(embedOne(values[i]!, active, inputType));
      }
      return { embeddings };
    },
  };
}

/** `size` texts picked uniformly at random with a seed (partial Fisher–Yates), kept in corpus order. */
function seededSample(values: readonly string[], size: number, seed: number): string[] {
  const random = createRandom((seed ^ 0x9e3779b9) >>> 0);
  const order = Uint32Array.from({ length: values.length }, (_, i) => i);
  for (let i = 0; i < size; i++) {
    const j = i + Math.floor(random() * (values.length - i));
    [order[i], order[j]] = [order[j]!, order[i]!];
  }
  return Array.from(order.subarray(0, size)).sort((a, b) => a - b).map((i) => values[i]!);
}

function positiveInteger(value: number, name: string): number {
  if (!Number.isInteger(value) || value < 1) throw new InvalidInputError(`lsa: ${name} must be a positive integer, got ${String(value)}`);
  return value;
}
