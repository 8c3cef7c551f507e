// What resolvers receive as their parent: records as the services return them (database ids, not
// GraphQL objects). codegen.ts maps each GraphQL type to one of these, so a relation is resolved
// by a field resolver through a DataLoader rather than built eagerly.
import type {
  ChangedAssignment,
  OfferChannelDelta,
  OfferChannelPair,
} from "../services/compare-plans";
import type { DualCharge, ExplainedOption, Explanation } from "../services/explain";
import type { ReportRow } from "../services/plan-reads";
import type {
  Analysis,
  AnalysisPoint,
  ApiKey,
  Assignment,
  Channel,
  ConstraintSet,
  ConstraintSetVersion,
  Customer,
  Offer,
  Plan,
  Proportion,
} from "../services/records";

export type ChannelModel = Channel;
export type OfferModel = Offer;
export type CustomerModel = Customer;
export type ConstraintSetModel = ConstraintSet;
export type ConstraintSetVersionModel = ConstraintSetVersion;
export type PlanModel = Plan;
export type ApiKeyModel = ApiKey;
export type ProportionModel = Proportion;
export type AssignmentModel = Assignment;
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

/** A channel by its external id, as the plan's stored KPIs key it. */
export interface ChannelContactsModel {
  channelId: string;
  contacts: number;
}

export interface ChannelContactsDeltaModel {
  channelId: string;
  a: number | null;
  b: number | null;
  delta: number | null;
}

export type DualChargeModel = DualCharge;
export type PricedOptionModel = ExplainedOption;
export type ExplanationModel = Explanation;
export type OfferChannelDeltaModel = OfferChannelDelta;
export type OfferChannelPairModel = OfferChannelPair;
export type ChangedAssignmentModel = ChangedAssignment;

export interface PlanComparisonModel {
  a: PlanModel;
  b: PlanModel;
}

export type AnalysisModel = Analysis;
export type AnalysisPointModel = AnalysisPoint;
export type ConstraintReportRowModel = ReportRow;
export type { AuditEventRecord as AuditEventModel } from "../services/audit-trail";
