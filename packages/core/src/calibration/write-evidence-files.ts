import { join } from 'node:path';
import type { CorpusIndexData, IndexManifest } from '../index-format/corpus-index.js';
import { INDEX_FILES } from '../index-format/index-files.js';
import { encodeLexicalIndex } from '../lexical/lexical-index.js';
import { writeFileAtomic } from '../index-format/write-file-atomic.js';

/** Writes lexical.json, lexical-lm.bin and calibration.json for whichever of them the data has (each atomically); returns their manifest entries. */
export async function writeEvidenceFiles(directory: string, data: Pick<CorpusIndexData, 'lexical' | 'calibration'>): Promise<IndexManifest['files']> {
  const files: IndexManifest['files'] = {};
  if (data.lexical) {
    const { json, model } = encodeLexicalIndex(data.lexical, INDEX_FILES.lexicalModel);
    const written = await writeFileAtomic(join(directory, INDEX_FILES.lexicalModel), model);
    files[INDEX_FILES.lexicalModel] = { sha256: written.sha256, bytes: written.bytes };
    const writtenJson = await writeFileAtomic(join(directory, INDEX_FILES.lexical), json);
    files[INDEX_FILES.lexical] = { sha256: writtenJson.sha256, bytes: writtenJson.bytes };
  }
  if (data.calibration) {
    const written = await writeFileAtomic(join(directory, INDEX_FILES.calibration), `${JSON.stringify(data.calibration, null, 1)}\n`);
    files[INDEX_FILES.calibration] = { sha256: written.sha256, bytes: written.bytes };
  }
  return files;
}
