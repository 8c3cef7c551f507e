// The constraint-set JSON of the data contract (shared/data-contract.md). The CLI's file, the
// GraphQL ConstraintSetInput and the stored version definition all have exactly this shape.
import { z } from "zod";

const id = z.string().trim().min(1, "must be a non-empty id");
const nonNegInt = z.number().int("must be a whole number").min(0, "must be >= 0");

export const channelCapacitySchema = z.strictObject({ channelId: id, capacity: nonNegInt });

export const offerVolumeSchema = z
  .strictObject({
    offerId: id,
    min: nonNegInt.nullish(),
    max: nonNegInt.nullish(),
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
    max: nonNegInt.nullish(),
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

export const constraintSetSchema = z.strictObject({
  name: z.string().trim().min(1, "must be a non-empty name"),
  objective: z.enum(["EXPECTED_RETURN", "ROMI"]).default("EXPECTED_RETURN"),
  budget: z.number().min(0, "must be >= 0").nullish(),
  hurdleRate: z.number().min(-1, "must be >= -1").nullish(),
  maxOffersPerCustomer: z.number().int().min(1, "must be >= 1").default(1),
  channelCapacities: z.array(channelCapacitySchema).default([]),
  offerVolumes: z.array(offerVolumeSchema).default([]),
  segmentRules: z.array(segmentRuleSchema).default([]),
});

export type ConstraintSetDefinition = z.output<typeof constraintSetSchema>;
export type SegmentRule = z.output<typeof segmentRuleSchema>;

export interface FieldProblem {
  /** dotted path into the input, e.g. offerVolumes.1.min */
  path: string;
  message: string;
}

/** Parses and validates a constraint set; problems name the field path of each error. */
export function parseConstraintSet(
  input: unknown,
): { ok: true; value: ConstraintSetDefinition } | { ok: false; problems: FieldProblem[] } {
  const res = constraintSetSchema.safeParse(input);
  if (res.success) {
    const problems = duplicateProblems(res.data);
    return problems.length ? { ok: false, problems } : { ok: true, value: res.data };
  }
  return {
    ok: false,
    problems: res.error.issues.map((i) => ({
      path: i.path.map(String).join("."),
      message: i.message,
    })),
  };
}

function duplicateProblems(def: ConstraintSetDefinition): FieldProblem[] {
  const out: FieldProblem[] = [];
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
  return out;
}
