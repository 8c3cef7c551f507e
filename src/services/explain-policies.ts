// What the contact policies say about one customer in a plan, for explanations: the options a
// rule forbids (the same compilation the optimiser uses, on this customer's options and history
// only), a line per rule that touches the customer, and each option's coefficient on the custom
// capacities. Reads this customer's rows only (and their household's), never the whole history.
// The line a rule gives is its kind's entry here, in a registry of the same shape as the core's
// (src/optimize/rule-kinds.ts).
import type { Pool } from "pg";
import type { Catalog } from "../db/instance-loader";
import { loadPolicies } from "../db/policy-facts";
import type { ConstraintSetDefinition } from "../domain/constraint-set";
import type { PolicySpec } from "../domain/policy-spec";
import { resolvePolicies } from "../domain/resolve-policies";
import type { PolicyFacts } from "../optimize/explain";
import type { Instance, PlanConstraints } from "../optimize/instance";
import { compilePolicies, customRowName, matches } from "../optimize/policies";
import type { Policy, PolicyKind } from "../optimize/policy-types";

export interface OptionKeyFacts {
  offer: string;
  channel: string;
  expectedReturn: number;
  cost: number;
}

export interface CustomerPolicies {
  facts: PolicyFacts;
  /** "offer\u0000channel" → coefficient per custom-capacity row name */
  custom: Map<string, Record<string, number>>;
}

const key = (o: { offer: string; channel: string }) => `${o.offer}\u0000${o.channel}`;

/** What a kind's explanation reads with: the plan, the customer and its options. */
export interface ExplainContext {
  pool: Pool;
  planId: number;
  customerDbId: number;
  catalog: Catalog;
  offerIds: string[];
  specs: PolicySpec[];
  /** the customer's options the dataset knows, as the one-customer instance holds them */
  opts: OptionKeyFacts[];
  inst: Instance;
  /** " (report-only)" or "" */
  tag: string;
  /** where a custom capacity writes each option's coefficients */
  custom: Map<string, Record<string, number>>;
}

/** A kind's line about one customer (null: the rule does not touch it). */
export type PolicyExplanation<P = Policy> = (pol: P, ctx: ExplainContext) => Promise<string | null>;

type Of<K extends PolicyKind> = Extract<Policy, { kind: K }>;

const BUILT_IN: { [K in PolicyKind]: PolicyExplanation<Of<K>> } = {
  fatigue: async (pol, { tag }) =>
    pol.prior[0]! > 0
      ? `${pol.name}${tag}: ${pol.prior[0]} of ${pol.limit} contacts in the ` +
        `${pol.windowDays}-day window used before the campaign`
      : null,
  cool_off: async (pol, { tag, offerIds }) => {
    if (pol.blockedOffer.length === 0) return null;
    const names = Array.from(pol.blockedOffer, (o) => offerIds[o]).join(", ");
    return `${pol.name}${tag}: contacted with ${names} within ${pol.days} days`;
  },
  sequencing: async (pol, { tag, offerIds, opts }) =>
    opts.some((o) => o.offer === offerIds[pol.offer])
      ? `${pol.name}${tag}: ${pol.qualified[0] ? "received" : "has not received"} ` +
        `${offerIds[pol.after]} at least ${pol.minDays} days before`
      : null,
  household: householdLine,
  custom_capacity: customCapacityLine,
  mutual_exclusion: async () => null,
};

const EXPLANATIONS = new Map<string, PolicyExplanation>(
  Object.entries(BUILT_IN) as [string, PolicyExplanation][],
);

/** Adds a kind's explanation (its policy arrives cast as a Policy); returns its removal. */
export function registerPolicyExplanation<P>(
  kind: string,
  explain: PolicyExplanation<P>,
): () => void {
  if (EXPLANATIONS.has(kind)) throw new Error(`an explanation of ${kind} is registered already`);
  EXPLANATIONS.set(kind, explain as unknown as PolicyExplanation);
  return () => EXPLANATIONS.delete(kind);
}

export async function customerPolicies(
  pool: Pool,
  planId: number,
  definition: ConstraintSetDefinition,
  customerDbId: number,
  campaignDate: string,
  options: OptionKeyFacts[],
): Promise<CustomerPolicies> {
  const catalog = await policyCatalog(pool);
  const offerIds = catalog.offers.map((o) => o.id);
  const channelIds = catalog.channels.map((c) => c.id);
  const specs = resolvePolicies(definition, {
    offerIds,
    channelIds,
    offerCategory: catalog.offers.map((o) => o.category),
  });
  const { inst, opts } = customerInstance(catalog, customerDbId, options);
  const policies = await loadPolicies(pool, specs, inst, catalog, campaignDate, [customerDbId]);
  const blocked = blockedOptions(inst, definition, policies, opts);

  const notes: string[] = [];
  const custom = new Map<string, Record<string, number>>();
  const base = { pool, planId, customerDbId, catalog, offerIds, specs, opts, inst, custom };
  for (const pol of policies) {
    const explain = EXPLANATIONS.get(pol.kind);
    const tag = pol.reportOnly ? " (report-only)" : "";
    const line = explain === undefined ? null : await explain(pol, { ...base, tag });
    if (line !== null) notes.push(line);
  }
  return { facts: { blocked, notes }, custom };
}

/** Offers and channels in database-id order, as the one-customer instance indexes them. */
async function policyCatalog(pool: Pool): Promise<Catalog> {
  const [offers, channels] = await Promise.all([
    pool.query<{ id: number; ext: string; category: string | null }>(
      "SELECT id, external_id AS ext, category FROM offer ORDER BY id",
    ),
    pool.query<{ id: number; ext: string }>(
      "SELECT id, external_id AS ext FROM channel ORDER BY id",
    ),
  ]);
  return {
    offers: offers.rows.map((o) => ({
      dbId: o.id,
      id: o.ext,
      category: o.category,
      minVolume: 0,
      maxVolume: null,
      allowed: [],
    })),
    channels: channels.rows.map((c) => ({
      dbId: c.id,
      id: c.ext,
      costPerContact: 0,
      capacity: null,
      responseFactor: 1,
    })),
    segments: [],
  };
}

/** The customer alone, with its options the dataset knows. */
function customerInstance(
  catalog: Catalog,
  customerDbId: number,
  options: OptionKeyFacts[],
): { inst: Instance; opts: OptionKeyFacts[] } {
  const offerIds = catalog.offers.map((o) => o.id);
  const channelIds = catalog.channels.map((c) => c.id);
  const offerIx = new Map(offerIds.map((id, i) => [id, i]));
  const channelIx = new Map(channelIds.map((id, i) => [id, i]));
  const opts = options.filter((o) => offerIx.has(o.offer) && channelIx.has(o.channel));
  const inst: Instance = {
    numCustomers: 1,
    offerIds,
    channelIds,
    segments: [],
    customerSegment: Int32Array.of(-1),
    customerKey: Int32Array.of(customerDbId),
    custStart: Int32Array.of(0, opts.length),
    optOffer: Int32Array.from(opts, (o) => offerIx.get(o.offer)!),
    optChannel: Int32Array.from(opts, (o) => channelIx.get(o.channel)!),
    optReturn: Float64Array.from(opts, (o) => o.expectedReturn),
    optCost: Float64Array.from(opts, (o) => o.cost),
  };
  return { inst, opts };
}

/** Every rule that forbids each option, not only the first: each rule compiled on its own. */
function blockedOptions(
  inst: Instance,
  definition: ConstraintSetDefinition,
  policies: Policy[],
  opts: OptionKeyFacts[],
): Map<string, string[]> {
  const cons: PlanConstraints = {
    objective: definition.objective,
    budget: Infinity,
    hurdleRate: null,
    maxOffersPerCustomer: definition.maxOffersPerCustomer,
    channelCapacity: new Float64Array(inst.channelIds.length).fill(Infinity),
    offerMin: new Float64Array(inst.offerIds.length),
    offerMax: new Float64Array(inst.offerIds.length).fill(Infinity),
    segmentRules: [],
    policies,
  };
  const blocked = new Map<string, string[]>();
  for (const pol of policies) {
    if (pol.reportOnly) continue;
    const compiled = compilePolicies(inst, { ...cons, policies: [pol] });
    opts.forEach((o, p) => {
      if ((compiled.blockedBy?.[p] ?? 0) === 0) return;
      blocked.set(key(o), [...(blocked.get(key(o)) ?? []), pol.name]);
    });
  }
  return blocked;
}

async function householdLine(pol: Of<"household">, ctx: ExplainContext): Promise<string | null> {
  const attr = ctx.specs.find((s) => s.name === pol.name);
  if (attr?.kind !== "household" || pol.household[0]! < 0) return null;
  const { rows } = await ctx.pool.query<{ members: number; contacts: number }>(
    `SELECT count(DISTINCT c.id)::int AS members, count(a.customer_id)::int AS contacts
     FROM customer c
     LEFT JOIN plan_assignment a ON a.customer_id = c.id AND a.plan_id = $1
     WHERE c.attributes->>$2 = (SELECT attributes->>$2 FROM customer WHERE id = $3)`,
    [ctx.planId, attr.attribute, ctx.customerDbId],
  );
  return (
    `${pol.name}${ctx.tag}: the household (${rows[0]!.members} customers) holds ` +
    `${rows[0]!.contacts} of ${pol.limit} contacts in this plan`
  );
}

/** Writes each matching option's coefficient on the rule's rows (ctx.custom). */
async function customCapacityLine(
  pol: Of<"custom_capacity">,
  ctx: ExplainContext,
): Promise<string | null> {
  const { catalog, inst, custom } = ctx;
  // the report's dual of an average is per unit of its bound (row dual × matching contacts):
  // an option's coefficient is then (measure − bound) / matching contacts
  let matching = 1;
  if (pol.aggregate === "AVERAGE") {
    const { rows } = await ctx.pool.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM plan_assignment
       WHERE plan_id = $1 AND ($2::int[] IS NULL OR offer_id = ANY($2))
         AND ($3::int[] IS NULL OR channel_id = ANY($3))`,
      [
        ctx.planId,
        pol.filter.offers &&
          catalog.offers.filter((_, o) => pol.filter.offers![o]).map((o) => o.dbId),
        pol.filter.channels &&
          catalog.channels.filter((_, k) => pol.filter.channels![k]).map((c) => c.dbId),
      ],
    );
    matching = Math.max(1, rows[0]!.n);
  }
  ctx.opts.forEach((o, p) => {
    if (!matches(pol.filter, inst.optOffer[p]!, inst.optChannel[p]!)) return;
    const v =
      pol.field === "expectedReturn"
        ? o.expectedReturn
        : pol.field === "cost"
          ? o.cost
          : pol.field === "contacts"
            ? 1
            : pol.customerValue![0]!;
    if (Number.isNaN(v)) return;
    const rec = custom.get(key(o)) ?? {};
    for (const [side, bound] of [
      ["max", pol.max],
      ["min", pol.min],
    ] as const) {
      if (bound === null) continue;
      rec[customRowName(pol, side)] = pol.aggregate === "AVERAGE" ? (v - bound) / matching : v;
    }
    custom.set(key(o), rec);
  });
  return pol.customerValue && Number.isNaN(pol.customerValue[0]!)
    ? `${pol.name}${ctx.tag}: no value for the measure, so none of its offers`
    : null;
}
