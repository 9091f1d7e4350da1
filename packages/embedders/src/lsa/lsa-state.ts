import { InvalidInputError, type EmbedderState } from '@corpus-proximity/core';
import { vocabularyFrom, type TfidfVocabulary } from './tfidf-vocabulary.js';
import { decodeNpy, encodeNpy } from '@corpus-proximity/core/internal';

/** Everything a fitted LSA embedder needs to embed: vocabulary, idf and the term → component projection. */
export interface LsaModel {
  vocabulary: TfidfVocabulary;
  /** Row-major terms × dimensions: row t is term t's loading on each component. */
  components: Float32Array;
  dimensions: number;
  sublinearTf: boolean;
  /** Settings recorded for provenance (requested dimensions, maxFeatures, seed, corpus size…). */
  settings: Record<string, unknown>;
}

/** Format tag stored in the settings, so a future layout can be told apart. */
export const LSA_STATE_FORMAT = 'lsa-v1';
const vocabularyFile = 'vocabulary.json';
const componentsFile = 'components.npy';

/** Serializes a fitted model: settings (small JSON), vocabulary.json (terms + idf) and components.npy (float32 terms × dimensions). */
export function encodeLsaState(model: LsaModel): EmbedderState {
  const vocabulary = JSON.stringify({ terms: model.vocabulary.terms, idf: Array.from(model.vocabulary.idf) });
  return {
    settings: { ...model.settings, format: LSA_STATE_FORMAT, dimensions: model.dimensions, sublinearTf: model.sublinearTf, terms: model.vocabulary.terms.length },
    files: {
      [vocabularyFile]: new TextEncoder().encode(vocabulary),
      [componentsFile]: encodeNpy(model.components, [model.vocabulary.terms.length, model.dimensions]),
    },
  };
}

/** Restores a model from {@link encodeLsaState}'s output; throws InvalidInputError naming the bad file otherwise. */
export function decodeLsaState(state: EmbedderState): LsaModel {
  const { settings, files } = state;
  if (settings.format !== LSA_STATE_FORMAT) {
    throw new InvalidInputError(`lsa: embedder state has format ${JSON.stringify(settings.format)}, expected "${LSA_STATE_FORMAT}"; rebuild the index with this version of corpus-proximity`);
  }
  const vocabularyBytes = files[vocabularyFile];
  const componentsBytes = files[componentsFile];
  for (const [name, bytes] of [[vocabularyFile, vocabularyBytes], [componentsFile, componentsBytes]] as const) {
    if (!bytes) throw new InvalidInputError(`lsa: embedder state lacks ${name} (files present: ${Object.keys(files).join(', ') || 'none'}); the index's embedder/ folder is incomplete`, { file: name });
  }
  let parsed: { terms?: unknown; idf?: unknown };
  try {
    parsed = JSON.parse(new TextDecoder().decode(vocabularyBytes)) as typeof parsed;
  } catch (cause) {
    throw new InvalidInputError(`lsa: ${vocabularyFile} is not valid JSON`, { file: vocabularyFile, cause });
  }
  const { terms, idf } = parsed;
  if (!Array.isArray(terms) || !Array.isArray(idf) || terms.length !== idf.length || !terms.every((t) => typeof t === 'string') || !idf.every((v) => typeof v === 'number')) {
    throw new InvalidInputError(`lsa: ${vocabularyFile} must hold {"terms": string[], "idf": number[]} of equal length`, { file: vocabularyFile });
  }
  let decoded: { values: Float32Array; rows: number; columns: number };
  try {
    const npy = decodeNpy(componentsBytes!, componentsFile);
    if (npy.shape.length !== 2) throw new Error(`expected a 2-d array, the shape is (${npy.shape.join(', ')})`);
    // decodeNpy may share memory with the input bytes; the model keeps its own copy.
    decoded = { values: Float32Array.from(npy.data), rows: npy.shape[0]!, columns: npy.shape[1]! };
  } catch (cause) {
    const message = (cause as Error).message;
    throw new InvalidInputError(`lsa: ${message.startsWith(componentsFile) ? message : `${componentsFile}: ${message}`}`, { file: componentsFile, cause });
  }
  const dimensions = settings.dimensions;
  if (decoded.rows !== terms.length || decoded.columns !== dimensions) {
    throw new InvalidInputError(`lsa: ${componentsFile} has shape (${decoded.rows}, ${decoded.columns}) but the vocabulary has ${terms.length} terms and the settings say ${String(dimensions)} dimensions`, { file: componentsFile });
  }
  return {
    vocabulary: vocabularyFrom(terms as string[], Float64Array.from(idf as number[])),
    components: decoded.values,
    dimensions: decoded.columns,
    sublinearTf: settings.sublinearTf !== false,
    settings,
  };
}
