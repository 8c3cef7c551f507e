/* eslint-disable */
/** Internal type. DO NOT USE DIRECTLY. */
type Exact<T extends { [key: string]: unknown }> = { [K in keyof T]: T[K] };
/** Internal type. DO NOT USE DIRECTLY. */
export type Incremental<T> = T | { [P in keyof T]?: P extends ' $fragmentName' | '__typename' ? T[P] : never };
import type { TypedDocumentNode as DocumentNode } from '@graphql-typed-document-node/core';
export type AssignmentGroup =
  | 'CONTROL'
  | 'TREATMENT';

export type ChannelCapacityInput = {
  capacity: number;
  channelId: string | number;
};

/** What a constraint-report row constrains */
export type ConstraintKind =
  | 'BUDGET'
  | 'CAPACITY'
  | 'COOL_OFF'
  | 'CUSTOM_CAPACITY'
  | 'FATIGUE'
  | 'HOUSEHOLD'
  | 'HURDLE'
  | 'MUTUAL_EXCLUSION'
  | 'OFFERS_PER_CUSTOMER'
  | 'OFFER_MAX'
  | 'OFFER_MIN'
  | 'SEGMENT_MAX'
  | 'SEGMENT_MIN_SHARE'
  | 'SEQUENCING';

export type ConstraintSense =
  | 'EQ'
  | 'GE'
  | 'LE';

/** Any fields of ConstraintSetInput, merged into the version as patchConstraintSet merges: a field given replaces the version's, and each list entry replaces or adds the entry of its key (the other entries stay). */
export type ConstraintSetOverridesInput = {
  budget?: number | null | undefined;
  channelCapacities?: Array<ChannelCapacityInput> | null | undefined;
  coolOffRules?: Array<CoolOffRuleInput> | null | undefined;
  customCapacities?: Array<CustomCapacityInput> | null | undefined;
  exclusionRules?: Array<ExclusionRuleInput> | null | undefined;
  fatigueRules?: Array<FatigueRuleInput> | null | undefined;
  householdRules?: Array<HouseholdRuleInput> | null | undefined;
  hurdleRate?: number | null | undefined;
  maxOffersPerCustomer?: number | null | undefined;
  objective?: Objective | null | undefined;
  offerVolumes?: Array<OfferVolumeInput> | null | undefined;
  segmentRules?: Array<SegmentRuleInput> | null | undefined;
  sequencingRules?: Array<SequencingRuleInput> | null | undefined;
  /** a campaign calendar of several waves planned at once (multi-period planning) */
  waves?: Array<WaveInput> | null | undefined;
};

/** An offer (or each offer of a category, or every offer) is not repeated to a customer within days of the last contact with it. */
export type CoolOffRuleInput = {
  days: number;
  name?: string | null | undefined;
  offerCategory?: string | null | undefined;
  offerId?: string | number | null | undefined;
  reportOnly?: boolean | null | undefined;
};

export type CustomAggregate =
  | 'AVERAGE'
  | 'SUM';

export type CustomCapacityField =
  | 'CONTACTS'
  | 'COST'
  | 'EXPECTED_RETURN';

/** The sum or average of a numeric customer attribute (or an option field) over the chosen contacts matching the offer / category / channel, bounded by max and/or min. */
export type CustomCapacityInput = {
  aggregate?: CustomAggregate | null | undefined;
  attribute?: string | null | undefined;
  channelId?: string | number | null | undefined;
  field?: CustomCapacityField | null | undefined;
  max?: number | null | undefined;
  min?: number | null | undefined;
  name: string;
  offerCategory?: string | null | undefined;
  offerId?: string | number | null | undefined;
  reportOnly?: boolean | null | undefined;
};

export type Disaggregation =
  | 'ASSIGNMENT'
  | 'GREEDY'
  | 'RANDOM';

/** Never more than one of these offers to the same customer in one plan. */
export type ExclusionRuleInput = {
  name?: string | null | undefined;
  offerIds: Array<string | number>;
  reportOnly?: boolean | null | undefined;
};

/** At most maxContacts per customer in a rolling window of windowDays days ending on the campaign day, history included; optionally one channel and one offer or category. */
export type FatigueRuleInput = {
  channelId?: string | number | null | undefined;
  maxContacts: number;
  name?: string | null | undefined;
  offerCategory?: string | null | undefined;
  offerId?: string | number | null | undefined;
  /** computed and shown in the constraint report, never enforced */
  reportOnly?: boolean | null | undefined;
  windowDays: number;
};

/** At most maxOffers contacts per household (customers sharing the attribute's value, default household_id). */
export type HouseholdRuleInput = {
  attribute?: string | null | undefined;
  maxOffers: number;
  name?: string | null | undefined;
  reportOnly?: boolean | null | undefined;
};

export type Objective =
  | 'EXPECTED_RETURN'
  | 'ROMI';

export type OfferVolumeInput = {
  max?: number | null | undefined;
  min?: number | null | undefined;
  offerId: string | number;
};

export type OrderDirection =
  | 'ASC'
  | 'DESC';

export type PlanMethod =
  | 'CLUSTER_LP'
  | 'EXACT'
  | 'GREEDY';

/** How Plan rows are sorted: a field, then the id in the same direction to break ties */
export type PlanOrder = {
  /** ascending or descending */
  direction: OrderDirection;
  /** what to sort by */
  field: PlanOrderField;
};

export type PlanOrderField =
  | 'CREATED_AT'
  | 'VERSION_NUMBER';

/** The steps of a plan run, in the order a run can go through them (each method uses some) */
export type PlanPhase =
  | 'BASELINE'
  | 'CLUSTER'
  | 'CLUSTER_LP'
  | 'DISAGGREGATE'
  | 'DONE'
  | 'DUAL'
  | 'EVALUATE'
  | 'EXACT'
  | 'LOAD'
  | 'POLISH'
  | 'REPAIR'
  | 'REPRICE'
  | 'WRITE';

export type PlanStatus =
  | 'CANCELLED'
  | 'FAILED'
  | 'QUEUED'
  | 'RUNNING'
  | 'SUCCEEDED';

export type RunPlanInput = {
  /** with overrides: the plan this what-if varies, a plan of the same constraint-set version (default: its newest SUCCEEDED plain run). BAD_USER_INPUT without overrides or for another version's plan */
  basePlanId?: string | number | null | undefined;
  /** apply a score calibration's factors to the scores for this run (recalibrateScores) */
  calibrationId?: string | number | null | undefined;
  /** the day the contacts go out (the first wave's day); contact policies count the history before it. Default: today (UTC) */
  campaignDate?: string | null | undefined;
  clusters?: number | null | undefined;
  /** runs the set's latest version */
  constraintSetId?: string | number | null | undefined;
  constraintSetVersionId?: string | number | null | undefined;
  /** hold out this share (0 ≤ share < 1) of each segment × offer's chosen options as a control group: chosen, not contacted */
  controlShare?: number | null | undefined;
  disaggregation?: Disaggregation | null | undefined;
  method?: PlanMethod | null | undefined;
  /** what the plan's users will call it */
  name?: string | null | undefined;
  /** why it is run */
  notes?: string | null | undefined;
  /** a what-if: these fields replace the version's for this run only (the plan is a scenario) */
  overrides?: ConstraintSetOverridesInput | null | undefined;
  seed?: number | null | undefined;
  /** start from this SUCCEEDED plan's clusters and prices (fewer passes): faster next to a solved plan, and recorded as an input of the run */
  warmStartFrom?: string | number | null | undefined;
};

export type SegmentRuleInput = {
  channelId?: string | number | null | undefined;
  max?: number | null | undefined;
  minShare?: number | null | undefined;
  offerId?: string | number | null | undefined;
  segment: string;
};

/** offerId only to customers who received afterOfferId (in the contact history) at least minDays before the campaign day. */
export type SequencingRuleInput = {
  afterOfferId: string | number;
  minDays: number;
  name?: string | null | undefined;
  offerId: string | number;
  reportOnly?: boolean | null | undefined;
};

/** A wave of a campaign calendar: its day (offsetDays after the campaign date), budget and channel capacities. */
export type WaveInput = {
  budget?: number | null | undefined;
  channelCapacities?: Array<ChannelCapacityInput> | null | undefined;
  name: string;
  offsetDays: number;
};

export type ListPlansQueryVariables = Exact<{
  first?: number | null | undefined;
  after?: string | null | undefined;
  orderBy?: PlanOrder | null | undefined;
}>;


export type ListPlansQuery = { plans: { totalCount: number, pageInfo: { hasNextPage: boolean, endCursor: string | null }, edges: Array<{ node: { id: string, name: string | null, status: PlanStatus, method: PlanMethod, versionNumber: number, createdAt: string, finishedAt: string | null, kpis: { expectedReturn: number, cost: number, contacts: number } | null } }> } };

export type PlanDashboardQueryVariables = Exact<{
  id: string | number;
}>;


export type PlanDashboardQuery = { plan: { id: string, name: string | null, status: PlanStatus, method: PlanMethod, kpis: { expectedReturn: number, cost: number, roi: number | null, contacts: number, upperBound: number | null, gap: number | null, baselineExpectedReturn: number | null, baselineCost: number | null, contactsByChannel: Array<{ contacts: number, channel: { id: string } }> } | null, constraintReport: Array<{ name: string, kind: ConstraintKind, sense: ConstraintSense, activity: number, bound: number, slack: number, dual: number | null, binding: boolean, reportOnly: boolean }>, offerChannelFrequencies: Array<{ contacts: number, share: number, expectedReturn: number, cost: number, offer: { id: string, name: string | null }, channel: { id: string, name: string | null } }> } | null };

export type AssignmentPageQueryVariables = Exact<{
  id: string | number;
  first?: number | null | undefined;
  after?: string | null | undefined;
  last?: number | null | undefined;
  before?: string | null | undefined;
}>;


export type AssignmentPageQuery = { plan: { assignments: { totalCount: number, pageInfo: { hasNextPage: boolean, hasPreviousPage: boolean, startCursor: string | null, endCursor: string | null }, edges: Array<{ cursor: string, node: { expectedReturn: number, cost: number, group: AssignmentGroup, wave: string | null, customer: { id: string, segment: string | null }, offer: { id: string }, channel: { id: string } } }> } } | null };

export type RunPlanMutationVariables = Exact<{
  input: RunPlanInput;
}>;


export type RunPlanMutation = { runPlan: { id: string, status: PlanStatus } };

export type FollowPlanSubscriptionVariables = Exact<{
  id: string | number;
}>;


export type FollowPlanSubscription = { planUpdated: { id: string, status: PlanStatus, phase: PlanPhase | null, progress: number, error: string | null } };


export const ListPlansDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"query","name":{"kind":"Name","value":"ListPlans"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"first"}},"type":{"kind":"NamedType","name":{"kind":"Name","value":"Int"}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"after"}},"type":{"kind":"NamedType","name":{"kind":"Name","value":"String"}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"orderBy"}},"type":{"kind":"NamedType","name":{"kind":"Name","value":"PlanOrder"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"plans"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"first"},"value":{"kind":"Variable","name":{"kind":"Name","value":"first"}}},{"kind":"Argument","name":{"kind":"Name","value":"after"},"value":{"kind":"Variable","name":{"kind":"Name","value":"after"}}},{"kind":"Argument","name":{"kind":"Name","value":"orderBy"},"value":{"kind":"Variable","name":{"kind":"Name","value":"orderBy"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"totalCount"}},{"kind":"Field","name":{"kind":"Name","value":"pageInfo"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"hasNextPage"}},{"kind":"Field","name":{"kind":"Name","value":"endCursor"}}]}},{"kind":"Field","name":{"kind":"Name","value":"edges"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"node"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"name"}},{"kind":"Field","name":{"kind":"Name","value":"status"}},{"kind":"Field","name":{"kind":"Name","value":"method"}},{"kind":"Field","name":{"kind":"Name","value":"versionNumber"}},{"kind":"Field","name":{"kind":"Name","value":"createdAt"}},{"kind":"Field","name":{"kind":"Name","value":"finishedAt"}},{"kind":"Field","name":{"kind":"Name","value":"kpis"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"expectedReturn"}},{"kind":"Field","name":{"kind":"Name","value":"cost"}},{"kind":"Field","name":{"kind":"Name","value":"contacts"}}]}}]}}]}}]}}]}}]} as unknown as DocumentNode<ListPlansQuery, ListPlansQueryVariables>;
export const PlanDashboardDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"query","name":{"kind":"Name","value":"PlanDashboard"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"id"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"ID"}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"plan"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"id"},"value":{"kind":"Variable","name":{"kind":"Name","value":"id"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"name"}},{"kind":"Field","name":{"kind":"Name","value":"status"}},{"kind":"Field","name":{"kind":"Name","value":"method"}},{"kind":"Field","name":{"kind":"Name","value":"kpis"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"expectedReturn"}},{"kind":"Field","name":{"kind":"Name","value":"cost"}},{"kind":"Field","name":{"kind":"Name","value":"roi"}},{"kind":"Field","name":{"kind":"Name","value":"contacts"}},{"kind":"Field","name":{"kind":"Name","value":"upperBound"}},{"kind":"Field","name":{"kind":"Name","value":"gap"}},{"kind":"Field","name":{"kind":"Name","value":"baselineExpectedReturn"}},{"kind":"Field","name":{"kind":"Name","value":"baselineCost"}},{"kind":"Field","name":{"kind":"Name","value":"contactsByChannel"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"channel"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}}]}},{"kind":"Field","name":{"kind":"Name","value":"contacts"}}]}}]}},{"kind":"Field","name":{"kind":"Name","value":"constraintReport"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"name"}},{"kind":"Field","name":{"kind":"Name","value":"kind"}},{"kind":"Field","name":{"kind":"Name","value":"sense"}},{"kind":"Field","name":{"kind":"Name","value":"activity"}},{"kind":"Field","name":{"kind":"Name","value":"bound"}},{"kind":"Field","name":{"kind":"Name","value":"slack"}},{"kind":"Field","name":{"kind":"Name","value":"dual"}},{"kind":"Field","name":{"kind":"Name","value":"binding"}},{"kind":"Field","name":{"kind":"Name","value":"reportOnly"}}]}},{"kind":"Field","name":{"kind":"Name","value":"offerChannelFrequencies"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"offer"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"name"}}]}},{"kind":"Field","name":{"kind":"Name","value":"channel"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"name"}}]}},{"kind":"Field","name":{"kind":"Name","value":"contacts"}},{"kind":"Field","name":{"kind":"Name","value":"share"}},{"kind":"Field","name":{"kind":"Name","value":"expectedReturn"}},{"kind":"Field","name":{"kind":"Name","value":"cost"}}]}}]}}]}}]} as unknown as DocumentNode<PlanDashboardQuery, PlanDashboardQueryVariables>;
export const AssignmentPageDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"query","name":{"kind":"Name","value":"AssignmentPage"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"id"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"ID"}}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"first"}},"type":{"kind":"NamedType","name":{"kind":"Name","value":"Int"}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"after"}},"type":{"kind":"NamedType","name":{"kind":"Name","value":"String"}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"last"}},"type":{"kind":"NamedType","name":{"kind":"Name","value":"Int"}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"before"}},"type":{"kind":"NamedType","name":{"kind":"Name","value":"String"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"plan"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"id"},"value":{"kind":"Variable","name":{"kind":"Name","value":"id"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"assignments"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"first"},"value":{"kind":"Variable","name":{"kind":"Name","value":"first"}}},{"kind":"Argument","name":{"kind":"Name","value":"after"},"value":{"kind":"Variable","name":{"kind":"Name","value":"after"}}},{"kind":"Argument","name":{"kind":"Name","value":"last"},"value":{"kind":"Variable","name":{"kind":"Name","value":"last"}}},{"kind":"Argument","name":{"kind":"Name","value":"before"},"value":{"kind":"Variable","name":{"kind":"Name","value":"before"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"totalCount"}},{"kind":"Field","name":{"kind":"Name","value":"pageInfo"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"hasNextPage"}},{"kind":"Field","name":{"kind":"Name","value":"hasPreviousPage"}},{"kind":"Field","name":{"kind":"Name","value":"startCursor"}},{"kind":"Field","name":{"kind":"Name","value":"endCursor"}}]}},{"kind":"Field","name":{"kind":"Name","value":"edges"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"cursor"}},{"kind":"Field","name":{"kind":"Name","value":"node"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"customer"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"segment"}}]}},{"kind":"Field","name":{"kind":"Name","value":"offer"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}}]}},{"kind":"Field","name":{"kind":"Name","value":"channel"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}}]}},{"kind":"Field","name":{"kind":"Name","value":"expectedReturn"}},{"kind":"Field","name":{"kind":"Name","value":"cost"}},{"kind":"Field","name":{"kind":"Name","value":"group"}},{"kind":"Field","name":{"kind":"Name","value":"wave"}}]}}]}}]}}]}}]}}]} as unknown as DocumentNode<AssignmentPageQuery, AssignmentPageQueryVariables>;
export const RunPlanDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"mutation","name":{"kind":"Name","value":"RunPlan"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"input"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"RunPlanInput"}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"runPlan"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"input"},"value":{"kind":"Variable","name":{"kind":"Name","value":"input"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"status"}}]}}]}}]} as unknown as DocumentNode<RunPlanMutation, RunPlanMutationVariables>;
export const FollowPlanDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"subscription","name":{"kind":"Name","value":"FollowPlan"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"id"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"ID"}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"planUpdated"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"id"},"value":{"kind":"Variable","name":{"kind":"Name","value":"id"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"status"}},{"kind":"Field","name":{"kind":"Name","value":"phase"}},{"kind":"Field","name":{"kind":"Name","value":"progress"}},{"kind":"Field","name":{"kind":"Name","value":"error"}}]}}]}}]} as unknown as DocumentNode<FollowPlanSubscription, FollowPlanSubscriptionVariables>;