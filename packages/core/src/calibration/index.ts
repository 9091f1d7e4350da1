export {
  fusedScore,
  inDistribution,
  confidenceFromInDistribution,
  calibrationFromSamples,
  checkCalibration,
  FUSION_WEIGHTS,
  IN_DISTRIBUTION_BANDS,
  type Calibration,
  type CalibrationMethod,
  type ConfidenceLevel,
} from './calibration.js';
export { measureEvidence, LEXICAL_CANDIDATES, type EvidenceFeatures, type ChunkTermCache } from './measure-evidence.js';
export { computeCalibration, CALIBRATION_SAMPLES, MIN_CALIBRATION_CHUNKS, type CalibrationInput, type ComputeCalibrationOptions, type CalibrationResult } from './compute-calibration.js';
export { buildIndexEvidence, type BuildIndexEvidenceOptions } from './build-index-evidence.js';
export { calibrateCorpusIndex, type CalibrateCorpusIndexResult } from './calibrate-corpus-index.js';
