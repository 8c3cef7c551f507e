// What resolvers receive as their parent: rows as the data layer returns them (database ids, not
// GraphQL objects). codegen.ts maps each GraphQL type to one of these, so a relation is resolved
// by a field resolver through a DataLoader rather than built eagerly.
import type {
  Analysis,
  AnalysisPoint,
  ApiKey,
  ConstraintSet,
  ConstraintSetVersion,
  Plan,
} from "../generated/prisma/client";

export interface ChannelModel {
  dbId: number;
  id: string;
  name: string | null;
  costPerContact: number;
  capacity: number | null;
  responseFactor: number;
}

export interface OfferModel {
  dbId: number;
  id: string;
  name: string | null;
  category: string | null;
  minVolume: number;
  maxVolume: number | null;
  /** database ids of the channels it may go through */
  channelDbIds: number[];
}

export interface CustomerModel {
  dbId: number;
  id: string;
  segment: string | null;
  doNotContact: boolean;
  attributes: Record<string, unknown> | null;
}

export type ConstraintSetModel = ConstraintSet;
export type ConstraintSetVersionModel = ConstraintSetVersion;
export type PlanModel = Plan;
export type ApiKeyModel = ApiKey;

export interface ProportionModel {
  cluster: number;
  offerDbId: number;
  channelDbId: number;
  proportion: number;
  customers: number;
}

export interface AssignmentModel {
  planId: number;
  customerDbId: number;
  offerDbId: number;
  channelDbId: number;
  expectedReturn: number;
  cost: number;
  group: "TREATMENT" | "CONTROL";
  wave: string | null;
}

export type CustomerPlanAssignmentModel = AssignmentModel;

export interface OfferChannelFrequencyModel {
  offerDbId: number;
  channelDbId: number;
  contacts: number;
  share: number;
  expectedReturn: number;
  cost: number;
}

export interface ChannelProfitabilityModel {
  channelDbId: number;
  contacts: number;
  expectedReturn: number;
  cost: number;
  profit: number;
  roi: number | null;
}

export interface DualChargeModel {
  constraint: string;
  dual: number;
  coefficient: number;
  amount: number;
}

export interface PricedOptionModel {
  offerDbId: number;
  channelDbId: number;
  expectedReturn: number;
  cost: number;
  reducedValue: number;
  charges: DualChargeModel[];
  blockedBy: string[];
}

export interface ExplanationModel {
  plan: PlanModel;
  customer: CustomerModel;
  chosen: PricedOptionModel[];
  runnerUp: PricedOptionModel | null;
  reason: string;
  options: PricedOptionModel[];
}

export interface OfferChannelDeltaModel {
  offerDbId: number;
  channelDbId: number;
  contactsA: number;
  contactsB: number;
  contactsDelta: number;
  expectedReturnA: number;
  expectedReturnB: number;
  expectedReturnDelta: number;
}

export interface OfferChannelPairModel {
  offerDbId: number;
  channelDbId: number;
}

export interface ChangedAssignmentModel {
  customerDbId: number;
  a: OfferChannelPairModel[];
  b: OfferChannelPairModel[];
}

export interface PlanComparisonModel {
  a: PlanModel;
  b: PlanModel;
}

export type AnalysisModel = Analysis;
export type AnalysisPointModel = AnalysisPoint;
