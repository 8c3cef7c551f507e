// The numerical instance every method works on: customers × eligible (offer, channel) options in
// compressed rows of typed arrays. Built from PostgreSQL in one streaming pass (src/db), or by
// tests directly. Indexes, not database ids, are used everywhere inside src/optimize.

import type { Policy } from "./policy-types";

export interface Instance {
  numCustomers: number;
  /** external ids, index = offer / channel / segment number */
  offerIds: string[];
  channelIds: string[];
  segments: string[];
  /** segment index per customer, -1 when the customer has none */
  customerSegment: Int32Array;
  /** database id per customer (persistence only; the core never interprets it) */
  customerKey: Int32Array;
  /** customer i's options are [custStart[i], custStart[i + 1]); do-not-contact customers have none */
  custStart: Int32Array;
  optOffer: Int32Array;
  optChannel: Int32Array;
  /** expected return r = p · value, and cost c, of each option */
  optReturn: Float64Array;
  optCost: Float64Array;
}

/** Constraint set resolved to indexes; absent limits are Infinity / 0 / null. */
export interface PlanConstraints {
  objective: "EXPECTED_RETURN" | "ROMI";
  budget: number; // Infinity = none
  hurdleRate: number | null;
  maxOffersPerCustomer: number;
  channelCapacity: Float64Array; // per channel, Infinity = none
  offerMin: Float64Array; // per offer
  offerMax: Float64Array; // per offer, Infinity = none
  segmentRules: ResolvedSegmentRule[];
  /** contact policies (policy-types.ts); absent = none */
  policies?: Policy[];
  /**
   * channel → the channel segment rules name it by (a calendar's per-wave channels map to their
   * base channel, calendar.ts); absent = itself
   */
  channelFamily?: Int32Array;
}

export interface ResolvedSegmentRule {
  /** as written in the constraint set, for reports: "segment:premium/channel:branch" */
  name: string;
  segment: number;
  offer: number; // -1 = any offer
  channel: number; // -1 = any channel
  max: number | null;
  minShare: number | null;
}
