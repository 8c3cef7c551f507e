// Public shapes of src/optimize: what optimize() takes and returns. Everything per customer or per
// option is a typed array indexed like the Instance; everything per constraint is named the way the
// constraint report names it (budget, capacity:branch, offer_min:resp, …).

import type { LpSolver } from "./lp/types";
import type { PolicyKind } from "./policy-types";

export type Method = "CLUSTER_LP" | "EXACT" | "GREEDY";
export type Disaggregation = "GREEDY" | "RANDOM" | "ASSIGNMENT";

export type ConstraintKind =
  | "budget"
  | "hurdle"
  | "capacity"
  | "offer_min"
  | "offer_max"
  | "segment_max"
  | "segment_min_share"
  | "offers_per_customer"
  | PolicyKind;

export type Sense = "LE" | "GE" | "EQ";

export interface Kpis {
  expectedReturn: number;
  cost: number;
  /** (return − cost) / cost; 0 when nothing is spent */
  roi: number;
  contacts: number;
  customersContacted: number;
  contactsByChannel: Record<string, number>;
  contactsByOffer: Record<string, number>;
  /** per channel id: what the report sets beside the ad-hoc plan's */
  byChannel: Record<string, Breakdown>;
  /** per segment name ("" for customers without one) */
  bySegment: Record<string, Breakdown>;
}

export interface Breakdown {
  contacts: number;
  expectedReturn: number;
  cost: number;
}

export interface ConstraintReportRow {
  name: string;
  kind: ConstraintKind;
  sense: Sense;
  /**
   * The plan's side of the constraint. For hurdle: total return, bound (1 + h) × cost. For a
   * segment min-share rule: the segment's matching contacts, bound minShare × its contacts.
   */
  activity: number;
  bound: number;
  /** distance to the bound on the feasible side (negative = violated) */
  slack: number;
  /**
   * The price that supports the plan: d objective / d bound of the row (activity − bound) at the
   * prices the plan was built at (CLUSTER_LP: its individual-level re-pricing; EXACT: its
   * Lagrangian multipliers). 0 when the row does not bind; null when the method has no prices.
   */
  dual: number | null;
  /** the slack is within the binding tolerance (evaluate.ts, bindingTolerance) */
  binding: boolean;
  /** CLUSTER_LP only: the cluster LP's own dual of the row, priced on cluster means */
  clusterLpDual?: number | null;
  /** a report-only policy: computed and shown, never enforced (absent = enforced) */
  reportOnly?: boolean;
}

export interface Violation {
  name: string;
  kind: ConstraintKind | "distinct_offers" | "eligibility";
  sense: Sense;
  activity: number;
  bound: number;
  /** how far past the bound */
  excess: number;
}

export interface ClusterSummary {
  index: number;
  /** segment id when clusters are formed within segments, else null */
  segment: string | null;
  size: number;
  /** mean expected return / cost over the eligible options of the cluster's members */
  meanReturn: number;
  meanCost: number;
  /** centroid in feature units (see PlanResult.featureNames) */
  centroid: number[];
}

export interface ProportionRow {
  cluster: number;
  offer: string;
  channel: string;
  /** share of the cluster's members given this offer through this channel (LP value / size) */
  proportion: number;
  /** the LP's number of customers (fractional) */
  customers: number;
}

/**
 * A warm start: an earlier plan's clusters and prices to start from. It is an input of the run like
 * any other (the plan records where it started): the same warm start gives the same plan, and a
 * run without one never depends on what ran before it.
 */
export interface Reuse {
  membership?: Int32Array;
  clusters?: ClusterSummary[];
  featureNames?: string[];
  /** earlier duals, used as starting prices by name */
  constraintReport?: ConstraintReportRow[];
}

export interface OptimizeOptions {
  method: Method;
  /** number of clusters for CLUSTER_LP (default 100) */
  clusters?: number;
  disaggregation?: Disaggregation;
  seed?: number;
  solver?: LpSolver;
  onProgress?: (phase: string, fraction: number) => void;
  /** start from an earlier plan (fewer passes); absent = a cold start */
  reuse?: Reuse;
  /** compute the ad-hoc baseline plan for comparison (default true; GREEDY always does) */
  baseline?: boolean;
  /** customers sampled to fit k-means (default 20,000) */
  clusterSample?: number;
  /** full-data Lagrangian passes for EXACT (default 40) and CLUSTER_LP re-pricing (default 8) */
  dualPasses?: number;
  /**
   * Asked from inside every long loop of the run (every few thousand customers, once per pass or
   * round, between analysis points), so that the stretches between two asks are a fraction of a
   * second at 1M customers; the cluster LP's solve inside the LP backend is the one stretch it
   * cannot reach (docs/performance.md, "Cancellation"). When it returns true the run throws
   * OptimizeStoppedError (stop.ts) and returns nothing. It runs on the optimising thread and must be cheap: read a flag, never wait.
   * Absent = never stop; a shouldStop that always returns false gives the same plan as none.
   */
  shouldStop?: () => boolean;
  /**
   * Threads for the per-customer passes (1 to 64; default 1 = this thread, no worker). Any number
   * gives the same plan: the passes sum in fixed blocks of customers, in block order.
   */
  threads?: number;
}

export interface PlanResult {
  method: Method;
  objective: "EXPECTED_RETURN" | "ROMI";
  /** 1 = option chosen, indexed like Instance.optOffer */
  selected: Uint8Array;
  /** the objective's value: expected return, or ROMI */
  value: number;
  kpis: Kpis;
  constraintReport: ConstraintReportRow[];
  /** certified upper bound on the objective over all feasible plans (CLUSTER_LP, EXACT) */
  upperBound?: number;
  /** (upperBound − value) / |upperBound| */
  gap?: number;
  clusters?: ClusterSummary[];
  featureNames?: string[];
  /** cluster per customer, -1 for customers without options */
  membership?: Int32Array;
  proportions?: ProportionRow[];
  /** the cluster LP's own objective (before disaggregation) */
  clusterLpValue?: number;
  /** the disaggregated, repaired cluster plan's objective, before re-pricing and polish */
  clusterPlanValue?: number;
  /** KPIs of the ad-hoc baseline plan; null when it cannot satisfy the constraints */
  baseline: Kpis | null;
  /** seconds per phase */
  timings: Record<string, number>;
  /** the settings the run actually used */
  effective: EffectiveSettings;
}

export interface EffectiveSettings {
  /** clusters of the cluster LP (after splits by segment); null for other methods */
  clusters: number | null;
  /** full-data Lagrangian passes of the price search; null for GREEDY */
  dualPasses: number | null;
  /** the LP solver's name; null when no LP was solved */
  solver: string | null;
  threads: number;
  /** the run started from an earlier plan's clusters and prices */
  warmStart: boolean;
}
