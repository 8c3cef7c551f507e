// Contact policies as the core takes them: rules over time (fatigue, cool-off, sequencing), over
// offers (mutual exclusion), over any measure (custom capacity) and over households. Everything
// that depends on the contact history or on customer attributes arrives here already reduced to
// per-customer typed arrays (src/db computes them for a campaign date), so the core stays pure.
//
// Every policy may be report-only: it is then computed and shown in the constraint report, never
// enforced.

/** Which options a rule counts: null = every offer / channel. */
export interface OptionFilter {
  /** per offer index: 1 = counted */
  offers: Uint8Array | null;
  /** per channel index: 1 = counted */
  channels: Uint8Array | null;
}

interface PolicyBase {
  /** constraint-report name, e.g. "fatigue:30d/channel:call" */
  name: string;
  reportOnly: boolean;
}

/** At most `limit` contacts matching `filter` in the rolling window, history included. */
export interface FatiguePolicy extends PolicyBase {
  kind: "fatigue";
  limit: number;
  windowDays: number;
  filter: OptionFilter;
  /** per customer: history contacts matching the filter inside the window ending on the campaign date */
  prior: Uint16Array;
}

/** An offer is not repeated to a customer within `days` of the last contact with it. */
export interface CoolOffPolicy extends PolicyBase {
  kind: "cool_off";
  days: number;
  /** (customer, offer) pairs contacted within the window: parallel arrays of indexes */
  blockedCustomer: Int32Array;
  blockedOffer: Int32Array;
  /** options the rule applies to (a calendar's wave); absent = all */
  filter?: OptionFilter;
}

/** Never more than one of `offers` to the same customer in one plan. */
export interface ExclusionPolicy extends PolicyBase {
  kind: "mutual_exclusion";
  offers: number[];
}

/** `offer` only to customers who received `after` at least `minDays` before the campaign date. */
export interface SequencingPolicy extends PolicyBase {
  kind: "sequencing";
  offer: number;
  after: number;
  minDays: number;
  /** per customer: 1 = received `after` early enough */
  qualified: Uint8Array;
  /** options the rule applies to (a calendar's wave); absent = all */
  filter?: OptionFilter;
}

/** At most `limit` contacts per household (customers sharing a household id). */
export interface HouseholdPolicy extends PolicyBase {
  kind: "household";
  limit: number;
  /** per customer: household number, -1 = none (the customer is a household of one) */
  household: Int32Array;
}

/**
 * Σ (or average) of a measure over the chosen contacts matching `filter`, bounded above and/or
 * below. The measure of a contact is a customer attribute (`customerValue`) or an option field.
 */
export interface CustomCapacityPolicy extends PolicyBase {
  kind: "custom_capacity";
  aggregate: "SUM" | "AVERAGE";
  max: number | null;
  min: number | null;
  filter: OptionFilter;
  /**
   * per customer; used when field is null. NaN = no value: such a customer gets none of the
   * options the rule bounds (an unknown risk score must not dilute an average)
   */
  customerValue: Float64Array | null;
  field: "expectedReturn" | "cost" | "contacts" | null;
}

export type Policy =
  | FatiguePolicy
  | CoolOffPolicy
  | ExclusionPolicy
  | SequencingPolicy
  | HouseholdPolicy
  | CustomCapacityPolicy;

export type PolicyKind = Policy["kind"];
