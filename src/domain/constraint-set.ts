// The constraint-set JSON of the data contract (shared/data-contract.md). The CLI's file, the
// GraphQL ConstraintSetInput and the stored version definition all have exactly this shape.
import { fieldsAt, nearestField } from "./field-suggestions";
import { z } from "zod";
import {
  atMost,
  MAX_CAPACITY,
  MAX_DAYS,
  MAX_HURDLE_RATE,
  MAX_MONEY,
  MAX_OFFERS_PER_CUSTOMER,
  MAX_RULES_PER_LIST,
  showLimit,
} from "./limits";
import { reportNameProblems } from "./rule-names";

const id = z.string().trim().min(1, "must be a non-empty id");
const nonNegInt = z.number().int("must be a whole number").min(0, "must be >= 0");
/** a count of contacts */
const count = nonNegInt.max(MAX_CAPACITY, atMost(MAX_CAPACITY));
const days = (min: number) =>
  z
    .number()
    .int("must be a whole number")
    .min(min, `must be >= ${min}`)
    .max(MAX_DAYS, atMost(MAX_DAYS));
const money = z.number().min(0, "must be >= 0").max(MAX_MONEY, atMost(MAX_MONEY));
/** a bound of any sign on a sum of money, contacts or an attribute */
const bound = z
  .number()
  .min(-MAX_MONEY, `must be at least -${showLimit(MAX_MONEY)}`)
  .max(MAX_MONEY, atMost(MAX_MONEY));
const list = <T extends z.ZodType>(item: T) =>
  z.array(item).max(MAX_RULES_PER_LIST, `at most ${MAX_RULES_PER_LIST} entries`);

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

const reportOnly = z.boolean().default(false);
const oneOfferFilter: [
  (r: { offerId?: string | null; offerCategory?: string | null }) => boolean,
  { message: string; path: string[] },
] = [
  (r) => r.offerId == null || r.offerCategory == null,
  { message: "give offerId or offerCategory, not both", path: ["offerCategory"] },
];
const ruleName = z.string().trim().min(1, "must be a non-empty name").nullish();

// Contact policies (issue 8): each list's entries become constraint-report rows; see README.
export const fatigueRuleSchema = z
  .strictObject({
    name: ruleName,
    maxContacts: count,
    windowDays: days(1),
    channelId: id.nullish(),
    offerId: id.nullish(),
    offerCategory: id.nullish(),
    reportOnly,
  })
  .refine(...oneOfferFilter);

export const coolOffRuleSchema = z
  .strictObject({
    name: ruleName,
    days: days(1),
    offerId: id.nullish(),
    offerCategory: id.nullish(),
    reportOnly,
  })
  .refine(...oneOfferFilter);

export const exclusionRuleSchema = z
  .strictObject({
    name: ruleName,
    offerIds: list(id).min(2, "an exclusion names at least two offers"),
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
    minDays: days(0),
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
    max: bound.nullish(),
    min: bound.nullish(),
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
  maxOffers: count,
  attribute: id.default("household_id"),
  reportOnly,
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
  // contact policies and waves: absent in sets stored before them, so optional rather than []
  fatigueRules: list(fatigueRuleSchema).optional(),
  coolOffRules: list(coolOffRuleSchema).optional(),
  exclusionRules: list(exclusionRuleSchema).optional(),
  sequencingRules: list(sequencingRuleSchema).optional(),
  customCapacities: list(customCapacitySchema).optional(),
  householdRules: list(householdRuleSchema).optional(),
  waves: list(waveSchema).optional(),
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
    problems: res.error.issues.flatMap((i): FieldProblem[] => {
      const path = i.path.map(String).join(".");
      if (i.code !== "unrecognized_keys") return [{ path, message: i.message }];
      const known = fieldsAt(constraintSetSchema, i.path);
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
