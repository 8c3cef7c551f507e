// Stored constraint sets, analyses and calibrations as the API reads them (src/db holds the
// queries); the services that write them live beside this file.
export {
  constraintSetsByIds,
  constraintSetSortKey,
  listConstraintSets,
  versionsByIds,
  versionsOfSet,
  versionsOfSets,
} from "../db/constraint-set-reads";
export { analysisById, analysisPoints, analysisSortKey, listAnalyses } from "../db/analysis-reads";
export {
  calibrationById,
  calibrationByIdOrThrow,
  calibrationFactors,
} from "../db/calibration-reads";
