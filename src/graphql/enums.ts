// The schema's upper-case enums over the lower-case words the optimiser and the database store
// (report kinds, run phases, custom-capacity fields). A stored word the schema does not name is
// our bug, not the client's: it fails loudly rather than reaching a client as a free string.
import type { ConstraintKind, CustomCapacityField, PlanPhase } from "./__generated__/resolvers";

const CONSTRAINT_KINDS: ReadonlySet<string> = new Set<ConstraintKind>([
  "BUDGET",
  "HURDLE",
  "CAPACITY",
  "OFFER_MIN",
  "OFFER_MAX",
  "SEGMENT_MAX",
  "SEGMENT_MIN_SHARE",
  "OFFERS_PER_CUSTOMER",
  "FATIGUE",
  "COOL_OFF",
  "MUTUAL_EXCLUSION",
  "SEQUENCING",
  "HOUSEHOLD",
  "CUSTOM_CAPACITY",
]);

const PLAN_PHASES: ReadonlySet<string> = new Set<PlanPhase>([
  "LOAD",
  "BASELINE",
  "CLUSTER",
  "CLUSTER_LP",
  "DUAL",
  "EXACT",
  "DISAGGREGATE",
  "REPAIR",
  "REPRICE",
  "POLISH",
  "EVALUATE",
  "DONE",
  "WRITE",
]);

function known<T extends string>(all: ReadonlySet<string>, what: string, stored: string): T {
  const v = stored.toUpperCase();
  if (!all.has(v)) throw new Error(`stored ${what} "${stored}" has no value in the schema`);
  return v as T;
}

export const constraintKind = (stored: string) =>
  known<ConstraintKind>(CONSTRAINT_KINDS, "constraint kind", stored);

export const planPhase = (stored: string | null) =>
  stored === null ? null : known<PlanPhase>(PLAN_PHASES, "plan phase", stored);

const CUSTOM_FIELDS: Record<CustomCapacityField, string> = {
  EXPECTED_RETURN: "expectedReturn",
  COST: "cost",
  CONTACTS: "contacts",
};

/** The constraint-set JSON's name of a CustomCapacityField. */
export const customCapacityField = (v: CustomCapacityField) => CUSTOM_FIELDS[v];
