import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import type { CorpusIndex, IndexManifest } from '../index-format/corpus-index.js';
import { INDEX_FILES } from '../index-format/index-files.js';
import { writeFileAtomic } from '../index-format/write-file-atomic.js';
import type { Calibration } from './calibration.js';
import { buildIndexEvidence, type BuildIndexEvidenceOptions } from './build-index-evidence.js';
import { writeEvidenceFiles } from './write-evidence-files.js';

/** What calibrateCorpusIndex wrote. */
export interface CalibrateCorpusIndexResult {
  manifest: IndexManifest;
  /** Undefined when the corpus is too small (see reason). */
  calibration?: Calibration;
  reason?: string;
}

/**
 * Adds or recomputes lexical.json, lexical-lm.bin and calibration.json of an existing index folder
 * (e.g. one written before they existed): each file is written atomically, then manifest.json is
 * rewritten atomically with their checksums. The other files are not touched.
 */
export async function calibrateCorpusIndex(index: CorpusIndex, options: BuildIndexEvidenceOptions = {}): Promise<CalibrateCorpusIndexResult> {
  let reason: string | undefined;
  const seed = options.seed ?? (typeof index.config.seed === 'number' ? index.config.seed : 42);
  const evidence = await buildIndexEvidence(index, (queries, k) => index.searchMany(queries, k), {
    ...options,
    seed,
    onWarning: (message) => {
      reason = message.replace(/^no calibration\.json: /, '');
      options.onWarning?.(message);
    },
  });
  const files = { ...index.manifest.files };
  delete files[INDEX_FILES.calibration];
  Object.assign(files, await writeEvidenceFiles(index.directory, evidence));
  const manifest: IndexManifest = { ...index.manifest, files };
  await writeFileAtomic(join(index.directory, INDEX_FILES.manifest), `${JSON.stringify(manifest, null, 2)}\n`);
  if (!evidence.calibration) await rm(join(index.directory, INDEX_FILES.calibration), { force: true });
  return { manifest, calibration: evidence.calibration, reason };
}
