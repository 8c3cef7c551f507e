// Contact policies of a constraint set, resolved to the dataset's indexes but not yet to the
// contact history or customer attributes: that second step needs the database and a campaign
// date (src/db/policy-facts.ts turns a PolicySpec into the core's Policy).
import type { z } from "zod";
import type { customCapacitySchema } from "./policy-rules";

// The spec speaks the contract's words; src/db/policy-facts.ts, which builds the core's Policy
// from it, is where the compiler checks that the core accepts them.
type CustomCapacityRule = z.output<typeof customCapacitySchema>;

interface SpecBase {
  /** constraint-report name, unique within the set, e.g. "fatigue:30d/channel:call" */
  name: string;
  reportOnly: boolean;
}

/** offer / channel indexes a rule counts; null = all */
export interface SpecFilter {
  offers: number[] | null;
  channels: number[] | null;
}

export type PolicySpec =
  | (SpecBase & { kind: "fatigue"; limit: number; windowDays: number; filter: SpecFilter })
  | (SpecBase & { kind: "cool_off"; days: number; offers: number[] | null })
  | (SpecBase & { kind: "mutual_exclusion"; offers: number[] })
  | (SpecBase & { kind: "sequencing"; offer: number; after: number; minDays: number })
  | (SpecBase & { kind: "household"; limit: number; attribute: string })
  | (SpecBase & {
      kind: "custom_capacity";
      aggregate: CustomCapacityRule["aggregate"];
      max: number | null;
      min: number | null;
      filter: SpecFilter;
      /** customer attribute holding the measure; null when `field` is given */
      attribute: string | null;
      field: Exclude<CustomCapacityRule["field"], undefined>;
    });
