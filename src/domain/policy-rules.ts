// Every contact-policy kind described once for the contract, as one entry of this registry: the
// constraint set's list that holds its rules and their schema, the constraint-report name of a
// rule (which is also its key in a patch), how many rows a rule has, and how a rule resolves
// against a dataset's ids into a PolicySpec. constraint-set.ts, rule-names.ts,
// constraint-patch.ts and resolve-policies.ts read it; the report's header counts rules by `word`.
//
// The core's part of a kind (how it compiles, its report rows and dual) is its entry in
// src/optimize/rule-kinds.ts, the facts for a campaign date its entry in src/db/policy-facts.ts.
// A kind registered at run time (a test's) is parsed and resolved like the built-in ones; it is
// not a member of ConstraintSetDefinition's type or of the PolicySpec union.
import { z } from "zod";
import type { PolicySpec, SpecFilter } from "./policy-spec";
import { bound, count, days, id, list, oneOfferFilter, reportOnly, ruleName } from "./schema-parts";

/** How a rule's references become dataset indexes; unknown ids are collected as problems. */
export interface RuleResolver {
  offer(id: string, path: string): number;
  channel(id: string, path: string): number;
  /** offers named by offerId / offerCategory (null = all) */
  offers(
    r: { offerId?: string | null; offerCategory?: string | null },
    path: string,
  ): number[] | null;
}

export interface PolicyRule<S extends z.ZodType = z.ZodType> {
  /** the PolicySpec's (and the core's Policy's) kind */
  readonly kind: string;
  /** the constraint set's list of these rules */
  readonly field: string;
  /** what the report's header counts them as: "3 cool-off" */
  readonly word: string;
  readonly schema: S;
  /** the rule's constraint-report name */
  name(r: z.output<S>): string;
  /** its key in a patch: the report name unless given */
  key?(r: z.output<S>): string;
  /** a name the user chose is the row's name (and may then clash with a plan's own rows) */
  readonly chosenNameIsRowName: boolean;
  /** a calendar of several waves has one row per wave of it */
  readonly repeatedPerWave: boolean;
  /** the names of its report rows; [name] unless given */
  rowNames?(r: z.output<S>, name: string): string[];
  /** the rule against the dataset's ids; `path` is where its problems are reported */
  resolve(r: z.output<S>, path: string, ids: RuleResolver): PolicySpec;
}

type OfferFilter = { offerId?: string | null; offerCategory?: string | null };

/** A report name from its parts, the absent ones left out: "fatigue:30d/channel:call". */
export const joinName = (...parts: (string | null)[]) => parts.filter((p) => p !== null).join("/");

/** How a rule's name says which offers it covers: an offer, a category, or all (null). */
export function offerLabel(r: OfferFilter): string | null {
  if (r.offerId != null) return `offer:${r.offerId}`;
  if (r.offerCategory != null) return `category:${r.offerCategory}`;
  return null;
}

const channels = (r: { channelId?: string | null }, path: string, ids: RuleResolver) =>
  r.channelId == null ? null : [ids.channel(r.channelId, `${path}.channelId`)];

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

const fatigue: PolicyRule<typeof fatigueRuleSchema> = {
  kind: "fatigue",
  field: "fatigueRules",
  word: "fatigue",
  schema: fatigueRuleSchema,
  name: (r) =>
    r.name ??
    joinName(
      `fatigue:${r.windowDays}d`,
      r.channelId == null ? null : `channel:${r.channelId}`,
      offerLabel(r),
    ),
  chosenNameIsRowName: true,
  repeatedPerWave: true,
  resolve(r, path, ids) {
    const filter: SpecFilter = { offers: ids.offers(r, path), channels: channels(r, path, ids) };
    return {
      kind: "fatigue",
      name: fatigue.name(r),
      reportOnly: r.reportOnly,
      limit: r.maxContacts,
      windowDays: r.windowDays,
      filter,
    };
  },
};

const coolOff: PolicyRule<typeof coolOffRuleSchema> = {
  kind: "cool_off",
  field: "coolOffRules",
  word: "cool-off",
  schema: coolOffRuleSchema,
  name: (r) => r.name ?? joinName(`cool_off:${r.days}d`, offerLabel(r)),
  chosenNameIsRowName: true,
  repeatedPerWave: true,
  resolve: (r, path, ids) => ({
    kind: "cool_off",
    name: coolOff.name(r),
    reportOnly: r.reportOnly,
    days: r.days,
    offers: ids.offers(r, path),
  }),
};

const exclusion: PolicyRule<typeof exclusionRuleSchema> = {
  kind: "mutual_exclusion",
  field: "exclusionRules",
  word: "exclusion",
  schema: exclusionRuleSchema,
  name: (r) => r.name ?? `exclusion:${r.offerIds.join("+")}`,
  chosenNameIsRowName: true,
  repeatedPerWave: false,
  resolve: (r, path, ids) => ({
    kind: "mutual_exclusion",
    name: exclusion.name(r),
    reportOnly: r.reportOnly,
    offers: r.offerIds.map((o, t) => ids.offer(o, `${path}.offerIds.${t}`)),
  }),
};

const sequencing: PolicyRule<typeof sequencingRuleSchema> = {
  kind: "sequencing",
  field: "sequencingRules",
  word: "sequencing",
  schema: sequencingRuleSchema,
  name: (r) => r.name ?? `sequencing:${r.offerId}_after_${r.afterOfferId}_${r.minDays}d`,
  chosenNameIsRowName: true,
  repeatedPerWave: true,
  resolve: (r, path, ids) => ({
    kind: "sequencing",
    name: sequencing.name(r),
    reportOnly: r.reportOnly,
    offer: ids.offer(r.offerId, `${path}.offerId`),
    after: ids.offer(r.afterOfferId, `${path}.afterOfferId`),
    minDays: r.minDays,
  }),
};

const customCapacity: PolicyRule<typeof customCapacitySchema> = {
  kind: "custom_capacity",
  field: "customCapacities",
  word: "custom capacity",
  schema: customCapacitySchema,
  name: (r) => `custom:${r.name}`,
  key: (r) => String(r.name),
  // its row is "custom:<name>", which no row of the plan's own can be
  chosenNameIsRowName: false,
  repeatedPerWave: false,
  // a custom capacity with both bounds has a row for each
  rowNames: (r, n) => (r.max != null && r.min != null ? [n, `${n}:max`, `${n}:min`] : [n]),
  resolve(r, path, ids) {
    const offers = ids.offers(r, path);
    return {
      kind: "custom_capacity",
      name: customCapacity.name(r),
      reportOnly: r.reportOnly,
      aggregate: r.aggregate,
      max: r.max ?? null,
      min: r.min ?? null,
      filter: { offers, channels: channels(r, path, ids) },
      attribute: r.attribute ?? null,
      field: r.field ?? null,
    };
  },
};

const household: PolicyRule<typeof householdRuleSchema> = {
  kind: "household",
  field: "householdRules",
  word: "household",
  schema: householdRuleSchema,
  name: (r) => r.name ?? `household:${r.attribute}`,
  chosenNameIsRowName: true,
  repeatedPerWave: false,
  resolve: (r) => ({
    kind: "household",
    name: household.name(r),
    reportOnly: r.reportOnly,
    limit: r.maxOffers,
    attribute: r.attribute,
  }),
};

/** The built-in rules by their list, in the order the schema, the names and the specs take them. */
const BUILT_IN = {
  fatigueRules: fatigue,
  coolOffRules: coolOff,
  exclusionRules: exclusion,
  sequencingRules: sequencing,
  customCapacities: customCapacity,
  householdRules: household,
};

type ListsOf<T extends Record<string, PolicyRule>> = {
  [F in keyof T]: z.ZodOptional<ReturnType<typeof list<T[F]["schema"]>>>;
};

function listsOf<T extends Record<string, PolicyRule>>(rules: T): ListsOf<T> {
  // absent in sets stored before them, so optional rather than []
  const entries = Object.entries(rules).map(([f, r]) => [f, list(r.schema).optional()]);
  return Object.fromEntries(entries) as ListsOf<T>;
}

/** The built-in rule lists of the constraint-set schema, typed. */
export const POLICY_LISTS = listsOf(BUILT_IN);

const RULES = new Map<string, PolicyRule>(
  Object.values(BUILT_IN).map((r) => [r.field, r as unknown as PolicyRule]),
);
/** bumps when a rule is registered or taken out, so that a schema built from RULES is rebuilt */
let generation = 0;

/** Every rule kind, built-in ones first, in order. */
export function policyRules(): PolicyRule[] {
  return [...RULES.values()];
}

/** The kinds registered at run time: the schema's lists beyond POLICY_LISTS. */
export function extraPolicyLists(): { generation: number; lists: Record<string, z.ZodType> } {
  const lists: Record<string, z.ZodType> = {};
  for (const r of RULES.values()) {
    if (!(r.field in BUILT_IN)) lists[r.field] = list(r.schema).optional();
  }
  return { generation, lists };
}

/** Adds a kind; returns the function that takes it out again. */
export function registerPolicyRule<S extends z.ZodType>(rule: PolicyRule<S>): () => void {
  if (RULES.has(rule.field)) throw new Error(`policy list ${rule.field} is registered already`);
  RULES.set(rule.field, rule as unknown as PolicyRule);
  generation++;
  return () => {
    RULES.delete(rule.field);
    generation++;
  };
}

/** The rules of one kind's list in a definition ([] when absent). */
export function rulesIn(def: object, rule: PolicyRule): unknown[] {
  const v = (def as Record<string, unknown>)[rule.field];
  return Array.isArray(v) ? v : [];
}
