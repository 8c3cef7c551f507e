// The records services hand to their callers. Stored rows that Prisma models are passed on as
// Prisma's types, named here so that the edges (src/graphql, src/cli) depend on the services and
// never on the generated client; rows read with SQL get their own shapes, keyed by database ids.
export type {
  Analysis,
  AnalysisKind,
  AnalysisPoint,
  ApiKey,
  ApiRole,
  ConstraintSet,
  ConstraintSetVersion,
  Plan,
  PlanMethod,
  PlanStatus,
  ScoreCalibration,
  ScoreCalibrationFactor,
} from "../generated/prisma/client";

export type { Channel, Offer } from "../db/catalog";
export type { Customer } from "../db/customers";
export type { Assignment, Proportion } from "../db/plan-reads";
