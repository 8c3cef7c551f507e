// The constraint-set JSON of the data contract (shared/data-contract.md). The CLI's file, the
// GraphQL ConstraintSetInput and the stored version definition all have exactly this shape.
import { fieldsAt, nearestField } from "./field-suggestions";
import { z } from "zod";
import { atMost, MAX_HURDLE_RATE, MAX_OFFERS_PER_CUSTOMER } from "./limits";
import { extraPolicyLists, POLICY_LISTS } from "./policy-rules";
import { reportNameProblems } from "./rule-names";
import { count, days, id, list, money } from "./schema-parts";

// the contact policies' schemas are their entries' (policy-rules.ts)
export {
  coolOffRuleSchema,
  customCapacitySchema,
  exclusionRuleSchema,
  fatigueRuleSchema,
  householdRuleSchema,
  sequencingRuleSchema,
} from "./policy-rules";

export const channelCapacitySchema = z.strictObject({ channelId: id, capacity: count });

export const offerVolumeSchema = z
  .strictObject({
    offerId: id,
    min: count.nullish(),
    max: count.nullish(),
  })
  .refine((v) => v.min == null || v.max == null || v.min <= v.max, {
    message: "min must not exceed max",
    path: ["min"],
  });

export const segmentRuleSchema = z
  .strictObject({
    segment: id,
    offerId: id.nullish(),
    channelId: id.nullish(),
    max: count.nullish(),
    minShare: z.number().min(0).max(1).nullish(),
  })
  .refine((r) => r.offerId != null || r.channelId != null, {
    message: "a segment rule names an offerId, a channelId or both",
    path: ["offerId"],
  })
  .refine((r) => (r.max == null) !== (r.minShare == null), {
    message: "a segment rule has exactly one of max or minShare",
    path: ["max"],
  });

/** A campaign calendar's wave (multi-period planning). */
export const waveSchema = z.strictObject({
  name: id,
  /** days after the campaign date (the first wave's day) */
  offsetDays: days(0),
  budget: money.nullish(),
  channelCapacities: list(channelCapacitySchema).default([]),
});

export const constraintSetSchema = z.strictObject({
  name: z.string().trim().min(1, "must be a non-empty name"),
  objective: z.enum(["EXPECTED_RETURN", "ROMI"]).default("EXPECTED_RETURN"),
  budget: money.nullish(),
  hurdleRate: z
    .number()
    .min(-1, "must be >= -1")
    .max(MAX_HURDLE_RATE, atMost(MAX_HURDLE_RATE))
    .nullish(),
  maxOffersPerCustomer: z
    .number()
    .int()
    .min(1, "must be >= 1")
    .max(MAX_OFFERS_PER_CUSTOMER, atMost(MAX_OFFERS_PER_CUSTOMER))
    .default(1),
  channelCapacities: list(channelCapacitySchema).default([]),
  offerVolumes: list(offerVolumeSchema).default([]),
  segmentRules: list(segmentRuleSchema).default([]),
  // contact policies (each list's entries become constraint-report rows; see README) and waves:
  // absent in sets stored before them, so optional rather than []
  ...POLICY_LISTS,
  waves: list(waveSchema).optional(),
});

export type ConstraintSetDefinition = z.output<typeof constraintSetSchema>;
export type SegmentRule = z.output<typeof segmentRuleSchema>;

export interface FieldProblem {
  /** dotted path into the input, e.g. offerVolumes.1.min */
  path: string;
  message: string;
}

let extended: { generation: number; schema: z.ZodType<ConstraintSetDefinition> } | null = null;

/** The schema with the rule lists registered at run time (policy-rules.ts), if any. */
function currentSchema(): z.ZodType<ConstraintSetDefinition> {
  const extra = extraPolicyLists();
  if (Object.keys(extra.lists).length === 0) return constraintSetSchema;
  if (extended?.generation !== extra.generation) {
    // the registered lists are parsed, but are not part of the definition's static type
    const schema = constraintSetSchema.extend(
      extra.lists,
    ) as unknown as z.ZodType<ConstraintSetDefinition>;
    extended = { generation: extra.generation, schema };
  }
  return extended.schema;
}

/** Parses and validates a constraint set; problems name the field path of each error. */
export function parseConstraintSet(
  input: unknown,
): { ok: true; value: ConstraintSetDefinition } | { ok: false; problems: FieldProblem[] } {
  const schema = currentSchema();
  const res = schema.safeParse(input);
  if (res.success) {
    const problems = [...duplicateProblems(res.data), ...reportNameProblems(res.data)];
    return problems.length ? { ok: false, problems } : { ok: true, value: res.data };
  }
  return {
    ok: false,
    problems: res.error.issues.flatMap((i): FieldProblem[] => {
      const path = i.path.map(String).join(".");
      if (i.code !== "unrecognized_keys") return [{ path, message: i.message }];
      const known = fieldsAt(schema, i.path);
      return i.keys.map((k) => {
        const near = nearestField(k, known);
        return {
          path: path ? `${path}.${k}` : k,
          message: `unknown field "${k}"${near ? `; did you mean "${near}"?` : ""}`,
        };
      });
    }),
  };
}

function duplicateProblems(def: ConstraintSetDefinition): FieldProblem[] {
  const out: FieldProblem[] = [];
  const waves = def.waves ?? [];
  waves.forEach((w, i) => {
    if (i === 0 && w.offsetDays !== 0) {
      out.push({
        path: "waves.0.offsetDays",
        message: "the first wave is on the campaign date: 0",
      });
    }
    if (i > 0 && w.offsetDays <= waves[i - 1].offsetDays) {
      out.push({
        path: `waves.${i}.offsetDays`,
        message: "waves must be in date order, one per day",
      });
    }
  });
  const seen = (list: string[], field: string, key: string) => {
    const first = new Map<string, number>();
    list.forEach((v, i) => {
      if (first.has(v))
        out.push({
          path: `${field}.${i}.${key}`,
          message: `duplicate ${key} "${v}" (also at ${field}.${first.get(v)})`,
        });
      else first.set(v, i);
    });
  };
  seen(
    def.channelCapacities.map((c) => c.channelId),
    "channelCapacities",
    "channelId",
  );
  seen(
    def.offerVolumes.map((o) => o.offerId),
    "offerVolumes",
    "offerId",
  );
  seen(
    waves.map((w) => w.name),
    "waves",
    "name",
  );
  return out;
}
