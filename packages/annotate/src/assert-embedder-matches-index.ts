import { checkSpecification, EmbedderMismatchError, type CorpusIndex, type EmbedderV1 } from '@corpus-proximity/core';

/** Throws EmbedderMismatchError when queries would be embedded by another model, or into another space, than the index. */
export function assertEmbedderMatchesIndex(index: CorpusIndex, embedder: EmbedderV1): void {
  checkSpecification('embedder', embedder);
  const built = index.manifest.embedder;
  // Precomputed embeddings record no model to compare with: only the dimensions can be checked.
  if (built.provider === 'precomputed' && built.dimensions === embedder.dimensions && index.dimension === embedder.dimensions) return;
  const sameModel = built.provider === embedder.provider && built.model_id === embedder.modelId;
  const sameDimensions = built.dimensions === embedder.dimensions && index.dimension === embedder.dimensions;
  if (sameModel && sameDimensions) return;
  const differ = !sameModel && !sameDimensions ? 'the model and the dimensions differ' : sameModel ? 'the dimensions differ' : 'the model differs';
  throw new EmbedderMismatchError(
    `the index at ${index.directory} was built with ${built.provider}:${built.model_id} (${built.dimensions} dimensions), ` +
      `but queries would be embedded with ${embedder.provider}:${embedder.modelId} (${embedder.dimensions} dimensions); ` +
      `${differ}, so distances would be meaningless. ` +
      `Annotate with the embedder the index was built with, or rebuild the index with this one.`,
  );
}
