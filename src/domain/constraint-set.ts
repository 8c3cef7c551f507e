// The constraint-set JSON of the data contract (shared/data-contract.md). The CLI's file, the
// GraphQL ConstraintSetInput and the stored version definition all have exactly this shape.
import { z } from "zod";
import { reportNameProblems } from "./rule-names";

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

const reportOnly = z.boolean().default(false);
const oneOfferFilter: [
  (r: { offerId?: string | null; offerCategory?: string | null }) => boolean,
  { message: string; path: string[] },
] = [
  (r) => r.offerId == null || r.offerCategory == null,
  { message: "give offerId or offerCategory, not both", path: ["offerCategory"] },
];
const ruleName = z.string().trim().min(1, "must be a non-empty name").nullish();
const positiveInt = z.number().int("must be a whole number").min(1, "must be >= 1");

// Contact policies (issue 8): each list's entries become constraint-report rows; see README.
export const fatigueRuleSchema = z
  .strictObject({
    name: ruleName,
    maxContacts: nonNegInt,
    windowDays: positiveInt,
    channelId: id.nullish(),
    offerId: id.nullish(),
    offerCategory: id.nullish(),
    reportOnly,
  })
  .refine(...oneOfferFilter);

export const coolOffRuleSchema = z
  .strictObject({
    name: ruleName,
    days: positiveInt,
    offerId: id.nullish(),
    offerCategory: id.nullish(),
    reportOnly,
  })
  .refine(...oneOfferFilter);

export const exclusionRuleSchema = z
  .strictObject({
    name: ruleName,
    offerIds: z.array(id).min(2, "an exclusion names at least two offers"),
    reportOnly,
  })
  .refine((r) => new Set(r.offerIds).size === r.offerIds.length, {
    message: "offers must be distinct",
    path: ["offerIds"],
  });

export const sequencingRuleSchema = z
  .strictObject({
    name: ruleName,
    offerId: id,
    afterOfferId: id,
    minDays: nonNegInt,
    reportOnly,
  })
  .refine((r) => r.offerId !== r.afterOfferId, {
    message: "an offer cannot follow itself",
    path: ["afterOfferId"],
  });

export const customCapacitySchema = z
  .strictObject({
    name: id,
    attribute: id.nullish(),
    field: z.enum(["expectedReturn", "cost", "contacts"]).nullish(),
    aggregate: z.enum(["SUM", "AVERAGE"]).default("SUM"),
    max: z.number().nullish(),
    min: z.number().nullish(),
    offerId: id.nullish(),
    offerCategory: id.nullish(),
    channelId: id.nullish(),
    reportOnly,
  })
  .refine((r) => (r.attribute == null) !== (r.field == null), {
    message: "give exactly one of attribute or field",
    path: ["attribute"],
  })
  .refine((r) => r.max != null || r.min != null, {
    message: "give max, min or both",
    path: ["max"],
  })
  .refine((r) => r.max == null || r.min == null || r.min <= r.max, {
    message: "min must not exceed max",
    path: ["min"],
  })
  .refine(...oneOfferFilter);

export const householdRuleSchema = z.strictObject({
  name: ruleName,
  maxOffers: nonNegInt,
  attribute: id.default("household_id"),
  reportOnly,
});

/** A campaign calendar's wave (multi-period planning). */
export const waveSchema = z.strictObject({
  name: id,
  /** days after the campaign date (the first wave's day) */
  offsetDays: nonNegInt,
  budget: z.number().min(0, "must be >= 0").nullish(),
  channelCapacities: z.array(channelCapacitySchema).default([]),
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
  // contact policies and waves: absent in sets stored before them, so optional rather than []
  fatigueRules: z.array(fatigueRuleSchema).optional(),
  coolOffRules: z.array(coolOffRuleSchema).optional(),
  exclusionRules: z.array(exclusionRuleSchema).optional(),
  sequencingRules: z.array(sequencingRuleSchema).optional(),
  customCapacities: z.array(customCapacitySchema).optional(),
  householdRules: z.array(householdRuleSchema).optional(),
  waves: z.array(waveSchema).optional(),
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
    const problems = [...duplicateProblems(res.data), ...reportNameProblems(res.data)];
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
