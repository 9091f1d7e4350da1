import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { CorpusIndexData, IndexManifest } from '../index-format/corpus-index.js';
import { InvalidIndexError } from '../errors.js';
import { INDEX_FILES } from '../index-format/index-files.js';
import { decodeLexicalIndex } from '../lexical/lexical-index.js';
import { checkCalibration } from './calibration.js';

/**
 * Reads lexical.json + lexical-lm.bin and calibration.json when the manifest lists them (their
 * checksums were already checked with the other files). Indexes written before them load without.
 */
export async function readEvidenceFiles(directory: string, manifest: IndexManifest): Promise<Pick<CorpusIndexData, 'lexical' | 'calibration'>> {
  const result: Pick<CorpusIndexData, 'lexical' | 'calibration'> = {};
  const listed = (file: string) => file in manifest.files;
  if (listed(INDEX_FILES.lexical) !== listed(INDEX_FILES.lexicalModel)) {
    const missing = listed(INDEX_FILES.lexical) ? INDEX_FILES.lexicalModel : INDEX_FILES.lexical;
    throw new InvalidIndexError(`${join(directory, INDEX_FILES.manifest)}: lists one of lexical.json and lexical-lm.bin but not ${missing}. Run \`corpus-proximity calibrate --index ${directory}\` to rebuild both.`, { directory, file: INDEX_FILES.manifest });
  }
  if (listed(INDEX_FILES.lexical)) {
    const json = await readFile(join(directory, INDEX_FILES.lexical), 'utf8');
    const model = new Uint8Array(await readFile(join(directory, INDEX_FILES.lexicalModel)));
    result.lexical = decodeLexicalIndex(json, model, { directory, jsonFile: INDEX_FILES.lexical, modelFile: INDEX_FILES.lexicalModel });
  }
  if (listed(INDEX_FILES.calibration)) {
    let parsed: unknown;
    try {
      parsed = JSON.parse(await readFile(join(directory, INDEX_FILES.calibration), 'utf8'));
    } catch (cause) {
      throw new InvalidIndexError(`${join(directory, INDEX_FILES.calibration)}: is not valid JSON (${(cause as Error).message}). Run \`corpus-proximity calibrate --index ${directory}\` to recompute it.`, { directory, file: INDEX_FILES.calibration, cause });
    }
    result.calibration = checkCalibration(parsed, { directory, file: INDEX_FILES.calibration });
  }
  return result;
}
