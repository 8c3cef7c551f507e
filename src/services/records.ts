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
  PlanStatus,
  ScoreCalibration,
  ScoreCalibrationFactor,
} from "../generated/prisma/client";

export interface Channel {
  dbId: number;
  id: string;
  name: string | null;
  costPerContact: number;
  capacity: number | null;
  responseFactor: number;
}

export interface Offer {
  dbId: number;
  id: string;
  name: string | null;
  category: string | null;
  minVolume: number;
  maxVolume: number | null;
  /** database ids of the channels it may go through */
  channelDbIds: number[];
}

export interface Customer {
  dbId: number;
  id: string;
  segment: string | null;
  doNotContact: boolean;
  attributes: Record<string, unknown> | null;
}

export interface Proportion {
  cluster: number;
  offerDbId: number;
  channelDbId: number;
  proportion: number;
  customers: number;
}

export interface Assignment {
  planId: number;
  customerDbId: number;
  offerDbId: number;
  channelDbId: number;
  expectedReturn: number;
  cost: number;
  group: "TREATMENT" | "CONTROL";
  wave: string | null;
}
