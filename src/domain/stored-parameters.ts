// The inputs a run was asked for (plan.parameters and analysis.parameters, written once when the
// run is created): the one reader of each column, for the run itself, replays, the API, reports
// and explanations.
// Every field is optional: the column defaults to {}, and a release adds fields that plans stored
// before it do not have (campaignDate, warmStartFrom, threads, controlShare, calibrationId came
// after the first plans). The method is the row's own column; a copy kept here is not needed to
// read it.
import { z } from "zod";

/** What every run is asked for, plan or analysis. */
const runFields = {
  method: z.enum(["CLUSTER_LP", "EXACT", "GREEDY"]).optional(),
  clusters: z.number().int().optional(),
  disaggregation: z.enum(["GREEDY", "RANDOM", "ASSIGNMENT"]).optional(),
  seed: z.number().optional(),
};

const PlanParameters = z.looseObject({
  ...runFields,
  /** a what-if's fields of the constraint-set JSON, over its version's */
  overrides: z.record(z.string(), z.unknown()).optional(),
  /** yyyy-mm-dd; absent on plans stored before the date was fixed at creation */
  campaignDate: z.string().optional(),
  warmStartFrom: z.number().int().optional(),
  threads: z.number().int().optional(),
  controlShare: z.number().optional(),
  calibrationId: z.number().int().optional(),
});

const AnalysisParameters = z.looseObject({
  ...runFields,
  /** BUDGET_FRONTIER */
  budgets: z.array(z.number()).optional(),
  /** CAPACITY */
  channelId: z.string().optional(),
  capacities: z.array(z.number()).optional(),
});

export type StoredPlanParameters = z.infer<typeof PlanParameters>;
export type StoredAnalysisParameters = z.infer<typeof AnalysisParameters>;

/** A field stored as null was not given (the API's inputs are nullable): it reads as absent. */
function withoutNulls(value: object): Record<string, unknown> {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== null));
}

function read<T>(column: string, schema: z.ZodType<T>, value: unknown): T {
  const given = value === null || value === undefined ? {} : value;
  const r = schema.safeParse(
    typeof given === "object" && !Array.isArray(given) ? withoutNulls(given) : given,
  );
  if (!r.success) throw new Error(`${column} is not readable: ${z.prettifyError(r.error)}`);
  return r.data;
}

/** A plan row's parameters column; throws, naming the field, when it is not a shape ever stored. */
export function storedPlanParameters(value: unknown): StoredPlanParameters {
  return read("plan.parameters", PlanParameters, value);
}

/** An analysis row's parameters column; throws, naming the field, when it is not readable. */
export function storedAnalysisParameters(value: unknown): StoredAnalysisParameters {
  return read("analysis.parameters", AnalysisParameters, value);
}
