// Parents of the campaign-results types (codegen.ts maps them here): the services' shapes, under
// names that do not clash with the GraphQL types.
import type { ResultRow } from "../results";
import type { ScoreCalibration, ScoreCalibrationFactor } from "../services/records";
import type { PlanResults } from "../services/results";

export type PlanResultsModel = PlanResults;
/** offer and channel are external ids (null on levels that do not split by them) */
export type ResultRowModel = ResultRow;
export type ScoreCalibrationModel = ScoreCalibration;
/** offerId and channelId are database ids; segment '' = customers without one */
export type CalibrationFactorModel = ScoreCalibrationFactor;
