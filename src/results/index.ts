// Campaign results, pure: holdouts, interval statistics, measurement and recalibration. No
// database here; src/services/results.ts reads and writes what these compute.
export { Z95, newcombeDifference, rate, wilson, type Difference, type Interval } from "./stats";
export {
  measure,
  resultRow,
  type GroupCounts,
  type GroupResult,
  type PlanResultRows,
  type ResultCell,
  type ResultLevel,
  type ResultRow,
} from "./measure";
export { controlCount, selectControl, treatmentOf } from "./holdout";
export {
  DEFAULT_PRIOR_STRENGTH,
  calibrateInstance,
  recalibrate,
  type CalibratedCell,
  type CalibrationFactor,
  type CalibrationInput,
} from "./calibration";
