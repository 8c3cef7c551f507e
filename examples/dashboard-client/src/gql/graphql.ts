/* eslint-disable */
/** Internal type. DO NOT USE DIRECTLY. */
type Exact<T extends { [key: string]: unknown }> = { [K in keyof T]: T[K] };
/** Internal type. DO NOT USE DIRECTLY. */
export type Incremental<T> = T | { [P in keyof T]?: P extends ' $fragmentName' | '__typename' ? T[P] : never };
import type { TypedDocumentNode as DocumentNode } from '@graphql-typed-document-node/core';
/** Whether an assignment is contacted */
export type AssignmentGroup =
  /** held out: chosen, not contacted */
  | 'CONTROL'
  /** contacted */
  | 'TREATMENT';

/** The most contacts one channel may take */
export type ChannelCapacityInput = {
  /** the most contacts */
  capacity: number;
  /** the channel (id in channels.csv) */
  channelId: string | number;
};

/** What a constraint-report row constrains */
export type ConstraintKind =
  /** the budget */
  | 'BUDGET'
  /** a channel capacity */
  | 'CAPACITY'
  /** a cool-off rule */
  | 'COOL_OFF'
  /** a custom capacity */
  | 'CUSTOM_CAPACITY'
  /** a fatigue rule */
  | 'FATIGUE'
  /** a household rule */
  | 'HOUSEHOLD'
  /** the hurdle rate */
  | 'HURDLE'
  /** an exclusion rule */
  | 'MUTUAL_EXCLUSION'
  /** offers per customer */
  | 'OFFERS_PER_CUSTOMER'
  /** an offer maximum */
  | 'OFFER_MAX'
  /** an offer minimum */
  | 'OFFER_MIN'
  /** a segment rule's maximum */
  | 'SEGMENT_MAX'
  /** a segment rule's minimum share */
  | 'SEGMENT_MIN_SHARE'
  /** a sequencing rule */
  | 'SEQUENCING';

/** How activity relates to bound */
export type ConstraintSense =
  /** activity = bound */
  | 'EQ'
  /** activity ≥ bound */
  | 'GE'
  /** activity ≤ bound */
  | 'LE';

/** Any fields of ConstraintSetInput, merged into the version as patchConstraintSet merges: a field given replaces the version's, and each list entry replaces or adds the entry of its key (the other entries stay). */
export type ConstraintSetOverridesInput = {
  /** replaces (or, for a list, merges into) the version's budget */
  budget?: number | null | undefined;
  /** replaces (or, for a list, merges into) the version's channelCapacities */
  channelCapacities?: Array<ChannelCapacityInput> | null | undefined;
  /** replaces (or, for a list, merges into) the version's coolOffRules */
  coolOffRules?: Array<CoolOffRuleInput> | null | undefined;
  /** replaces (or, for a list, merges into) the version's customCapacities */
  customCapacities?: Array<CustomCapacityInput> | null | undefined;
  /** replaces (or, for a list, merges into) the version's exclusionRules */
  exclusionRules?: Array<ExclusionRuleInput> | null | undefined;
  /** replaces (or, for a list, merges into) the version's fatigueRules */
  fatigueRules?: Array<FatigueRuleInput> | null | undefined;
  /** replaces (or, for a list, merges into) the version's householdRules */
  householdRules?: Array<HouseholdRuleInput> | null | undefined;
  /** replaces (or, for a list, merges into) the version's hurdleRate */
  hurdleRate?: number | null | undefined;
  /** replaces (or, for a list, merges into) the version's maxOffersPerCustomer */
  maxOffersPerCustomer?: number | null | undefined;
  /** replaces (or, for a list, merges into) the version's objective */
  objective?: Objective | null | undefined;
  /** replaces (or, for a list, merges into) the version's offerVolumes */
  offerVolumes?: Array<OfferVolumeInput> | null | undefined;
  /** replaces (or, for a list, merges into) the version's segmentRules */
  segmentRules?: Array<SegmentRuleInput> | null | undefined;
  /** replaces (or, for a list, merges into) the version's sequencingRules */
  sequencingRules?: Array<SequencingRuleInput> | null | undefined;
  /** a campaign calendar of several waves planned at once (multi-period planning) */
  waves?: Array<WaveInput> | null | undefined;
};

/** An offer (or each offer of a category, or every offer) is not repeated to a customer within days of the last contact with it. */
export type CoolOffRuleInput = {
  /** days after the last contact with the offer before it may be made again */
  days: number;
  /** the name shown in the constraint report (default: made from the rule) */
  name?: string | null | undefined;
  /** only offers of this category */
  offerCategory?: string | null | undefined;
  /** only this offer (id in offers.csv) */
  offerId?: string | number | null | undefined;
  /** computed and shown in the constraint report, never enforced */
  reportOnly?: boolean | null | undefined;
};

/** How a custom capacity combines its values */
export type CustomAggregate =
  /** the average over the chosen contacts */
  | 'AVERAGE'
  /** the sum over the chosen contacts */
  | 'SUM';

/** An option field a custom capacity can sum or average */
export type CustomCapacityField =
  /** 1 per contact (a count) */
  | 'CONTACTS'
  /** the option's cost */
  | 'COST'
  /** the option's expected return */
  | 'EXPECTED_RETURN';

/** The sum or average of a numeric customer attribute (or an option field) over the chosen contacts matching the offer / category / channel, bounded by max and/or min. */
export type CustomCapacityInput = {
  /** sum or average */
  aggregate?: CustomAggregate | null | undefined;
  /** a numeric customer attribute (a column of customers.csv); give this or field */
  attribute?: string | null | undefined;
  /** only this channel (id in channels.csv) */
  channelId?: string | number | null | undefined;
  /** an option field; give this or attribute */
  field?: CustomCapacityField | null | undefined;
  /** the aggregate is at most this */
  max?: number | null | undefined;
  /** the aggregate is at least this */
  min?: number | null | undefined;
  /** the name shown in the constraint report (default: made from the rule) */
  name: string;
  /** only offers of this category */
  offerCategory?: string | null | undefined;
  /** only this offer (id in offers.csv) */
  offerId?: string | number | null | undefined;
  /** computed and shown in the constraint report, never enforced */
  reportOnly?: boolean | null | undefined;
};

/** How CLUSTER_LP turns cluster shares into customers */
export type Disaggregation =
  /** the greedy fill, then pairwise exchanges within each cluster that raise the value */
  | 'ASSIGNMENT'
  /** each cluster's members by their own reduced value at the LP's duals, best first */
  | 'GREEDY'
  /** the same fill in a seeded random order */
  | 'RANDOM';

/** Never more than one of these offers to the same customer in one plan. */
export type ExclusionRuleInput = {
  /** the name shown in the constraint report (default: made from the rule) */
  name?: string | null | undefined;
  /** the offers (ids in offers.csv) of which a customer gets at most one */
  offerIds: Array<string | number>;
  /** computed and shown in the constraint report, never enforced */
  reportOnly?: boolean | null | undefined;
};

/** At most maxContacts per customer in a rolling window of windowDays days ending on the campaign day, history included; optionally one channel and one offer or category. */
export type FatigueRuleInput = {
  /** only this channel (id in channels.csv) */
  channelId?: string | number | null | undefined;
  /** the most contacts in the window */
  maxContacts: number;
  /** the name shown in the constraint report (default: made from the rule) */
  name?: string | null | undefined;
  /** only offers of this category */
  offerCategory?: string | null | undefined;
  /** only this offer (id in offers.csv) */
  offerId?: string | number | null | undefined;
  /** computed and shown in the constraint report, never enforced */
  reportOnly?: boolean | null | undefined;
  /** the window's length in days */
  windowDays: number;
};

/** At most maxOffers contacts per household (customers sharing the attribute's value, default household_id). */
export type HouseholdRuleInput = {
  /** the customer attribute that names the household */
  attribute?: string | null | undefined;
  /** the most contacts per household */
  maxOffers: number;
  /** the name shown in the constraint report (default: made from the rule) */
  name?: string | null | undefined;
  /** computed and shown in the constraint report, never enforced */
  reportOnly?: boolean | null | undefined;
};

/** What a plan maximises */
export type Objective =
  /** the expected return of the contacts */
  | 'EXPECTED_RETURN'
  /** the return on marketing investment */
  | 'ROMI';

/** Bounds on one offer's contacts */
export type OfferVolumeInput = {
  /** at most this many contacts */
  max?: number | null | undefined;
  /** at least this many contacts */
  min?: number | null | undefined;
  /** the offer (id in offers.csv) */
  offerId: string | number;
};

/** Which way a list is sorted */
export type OrderDirection =
  /** smallest first */
  | 'ASC'
  /** largest first */
  | 'DESC';

/** How a plan is optimised (docs/optimize.md) */
export type PlanMethod =
  /** a linear programme over customer clusters, then disaggregated to customers */
  | 'CLUSTER_LP'
  /** Lagrangian decomposition over every customer's options, with a certified upper bound */
  | 'EXACT'
  /** the best options first until a constraint binds (the paper's ad-hoc plan) */
  | 'GREEDY';

/** How Plan rows are sorted: a field, then the id in the same direction to break ties */
export type PlanOrder = {
  /** ascending or descending */
  direction: OrderDirection;
  /** what to sort by */
  field: PlanOrderField;
};

/** What plans can be sorted by */
export type PlanOrderField =
  /** when the plan was asked for */
  | 'CREATED_AT'
  /** its number within its constraint set */
  | 'VERSION_NUMBER';

/** The steps of a plan run, in the order a run can go through them (each method uses some) */
export type PlanPhase =
  /** computing the ad-hoc baseline */
  | 'BASELINE'
  /** clustering customers */
  | 'CLUSTER'
  /** solving the cluster LP */
  | 'CLUSTER_LP'
  /** turning cluster shares into customers */
  | 'DISAGGREGATE'
  /** optimisation finished */
  | 'DONE'
  /** the price search (EXACT) */
  | 'DUAL'
  /** computing KPIs and the constraint report */
  | 'EVALUATE'
  /** solving per customer at the prices (EXACT) */
  | 'EXACT'
  /** reading the dataset */
  | 'LOAD'
  /** spending slack and trading contacts */
  | 'POLISH'
  /** making the plan feasible */
  | 'REPAIR'
  /** pricing the plan's constraints */
  | 'REPRICE'
  /** writing the results */
  | 'WRITE';

/** Where a plan or analysis is in its life */
export type PlanStatus =
  /** cancelled; nothing of it was written */
  | 'CANCELLED'
  /** stopped with an error (see error and failedInPhase) */
  | 'FAILED'
  /** waiting for a worker */
  | 'QUEUED'
  /** a worker is computing it */
  | 'RUNNING'
  /** done; its results are stored */
  | 'SUCCEEDED';

/** What to run and how: give constraintSetId or constraintSetVersionId */
export type RunPlanInput = {
  /** with overrides: the plan this what-if varies, a plan of the same constraint-set version (default: its newest SUCCEEDED plain run). BAD_USER_INPUT without overrides or for another version's plan */
  basePlanId?: string | number | null | undefined;
  /** apply a score calibration's factors to the scores for this run (recalibrateScores) */
  calibrationId?: string | number | null | undefined;
  /** the day the contacts go out (the first wave's day); contact policies count the history before it. Default: today (UTC) */
  campaignDate?: string | null | undefined;
  /** clusters for CLUSTER_LP (1 to the server's maximum); null = chosen from the data */
  clusters?: number | null | undefined;
  /** runs the set's latest version */
  constraintSetId?: string | number | null | undefined;
  /** runs this version */
  constraintSetVersionId?: string | number | null | undefined;
  /** hold out this share (0 ≤ share < 1) of each segment × offer's chosen options as a control group: chosen, not contacted */
  controlShare?: number | null | undefined;
  /** how CLUSTER_LP picks customers */
  disaggregation?: Disaggregation | null | undefined;
  /** the optimisation method */
  method?: PlanMethod | null | undefined;
  /** what the plan's users will call it */
  name?: string | null | undefined;
  /** why it is run */
  notes?: string | null | undefined;
  /** a what-if: these fields replace the version's for this run only (the plan is a scenario) */
  overrides?: ConstraintSetOverridesInput | null | undefined;
  /** the random seed: the same inputs and seed give the same plan */
  seed?: number | null | undefined;
  /** Threads for the per-customer work, from 1 to the server's cap (its cores, or OFFERPLAN_MAX_THREADS). Default: the cap. Any number gives the same plan, only sooner or later; the count used is Plan.provenance.threads. */
  threads?: number | null | undefined;
  /** start from this SUCCEEDED plan's clusters and prices (fewer passes): faster next to a solved plan, and recorded as an input of the run */
  warmStartFrom?: string | number | null | undefined;
};

/** A rule on one segment's contacts, optionally of one offer and/or channel (give max or minShare) */
export type SegmentRuleInput = {
  /** only this channel (id in channels.csv) */
  channelId?: string | number | null | undefined;
  /** at most this many contacts */
  max?: number | null | undefined;
  /** at least this share (0–1) of the segment's customers contacted */
  minShare?: number | null | undefined;
  /** only this offer (id in offers.csv) */
  offerId?: string | number | null | undefined;
  /** the segment */
  segment: string;
};

/** offerId only to customers who received afterOfferId (in the contact history) at least minDays before the campaign day. */
export type SequencingRuleInput = {
  /** the offer the customer must have received first */
  afterOfferId: string | number;
  /** at least this many days between them */
  minDays: number;
  /** the name shown in the constraint report (default: made from the rule) */
  name?: string | null | undefined;
  /** the offer that must come after (id in offers.csv) */
  offerId: string | number;
  /** computed and shown in the constraint report, never enforced */
  reportOnly?: boolean | null | undefined;
};

/** A wave of a campaign calendar: its day (offsetDays after the campaign date), budget and channel capacities. */
export type WaveInput = {
  /** the wave's own budget; null = only the set's */
  budget?: number | null | undefined;
  /** the wave's own channel capacities */
  channelCapacities?: Array<ChannelCapacityInput> | null | undefined;
  /** the wave's name, its key */
  name: string;
  /** days after the campaign date */
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