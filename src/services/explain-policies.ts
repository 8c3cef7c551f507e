// What the contact policies say about one customer in a plan, for explanations: the options a
// rule forbids (the same compilation the optimiser uses, on this customer's options and history
// only), a line per rule that touches the customer, and each option's coefficient on the custom
// capacities. Reads this customer's rows only (and their household's), never the whole history.
import type { Pool } from "pg";
import type { Catalog } from "../db/instance-loader";
import { loadPolicies } from "../db/policy-facts";
import type { ConstraintSetDefinition } from "../domain/constraint-set";
import { resolvePolicies } from "../domain/resolve-policies";
import type { PolicyFacts } from "../optimize/explain";
import type { Instance, PlanConstraints } from "../optimize/instance";
import { compilePolicies, customRowName, matches } from "../optimize/policies";

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

export async function customerPolicies(
  pool: Pool,
  planId: number,
  definition: ConstraintSetDefinition,
  customerDbId: number,
  campaignDate: string,
  options: OptionKeyFacts[],
): Promise<CustomerPolicies> {
  const [offers, channels] = await Promise.all([
    pool.query<{ id: number; ext: string; category: string | null }>(
      "SELECT id, external_id AS ext, category FROM offer ORDER BY id",
    ),
    pool.query<{ id: number; ext: string }>(
      "SELECT id, external_id AS ext FROM channel ORDER BY id",
    ),
  ]);
  const catalog: Catalog = {
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
  const offerIds = catalog.offers.map((o) => o.id);
  const channelIds = catalog.channels.map((c) => c.id);
  const specs = resolvePolicies(definition, {
    offerIds,
    channelIds,
    offerCategory: catalog.offers.map((o) => o.category),
  });
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
  const policies = await loadPolicies(pool, specs, inst, catalog, campaignDate, [customerDbId]);
  const cons: PlanConstraints = {
    objective: definition.objective,
    budget: Infinity,
    hurdleRate: null,
    maxOffersPerCustomer: definition.maxOffersPerCustomer,
    channelCapacity: new Float64Array(channelIds.length).fill(Infinity),
    offerMin: new Float64Array(offerIds.length),
    offerMax: new Float64Array(offerIds.length).fill(Infinity),
    segmentRules: [],
    policies,
  };
  // every rule that forbids an option, not only the first: compile each rule on its own
  const blocked = new Map<string, string[]>();
  for (const pol of policies) {
    if (pol.reportOnly) continue;
    const compiled = compilePolicies(inst, { ...cons, policies: [pol] });
    opts.forEach((o, p) => {
      if ((compiled.blockedBy?.[p] ?? 0) === 0) return;
      blocked.set(key(o), [...(blocked.get(key(o)) ?? []), pol.name]);
    });
  }

  const notes: string[] = [];
  const custom = new Map<string, Record<string, number>>();
  for (const pol of policies) {
    const tag = pol.reportOnly ? " (report-only)" : "";
    switch (pol.kind) {
      case "fatigue":
        if (pol.prior[0]! > 0) {
          notes.push(
            `${pol.name}${tag}: ${pol.prior[0]} of ${pol.limit} contacts in the ` +
              `${pol.windowDays}-day window used before the campaign`,
          );
        }
        break;
      case "cool_off":
        if (pol.blockedOffer.length > 0) {
          const names = Array.from(pol.blockedOffer, (o) => offerIds[o]).join(", ");
          notes.push(`${pol.name}${tag}: contacted with ${names} within ${pol.days} days`);
        }
        break;
      case "sequencing":
        if (opts.some((o) => o.offer === offerIds[pol.offer])) {
          notes.push(
            `${pol.name}${tag}: ${pol.qualified[0] ? "received" : "has not received"} ` +
              `${offerIds[pol.after]} at least ${pol.minDays} days before`,
          );
        }
        break;
      case "household": {
        const attr = specs.find((s) => s.name === pol.name);
        if (attr?.kind !== "household" || pol.household[0]! < 0) break;
        const { rows } = await pool.query<{ members: number; contacts: number }>(
          `SELECT count(DISTINCT c.id)::int AS members, count(a.customer_id)::int AS contacts
           FROM customer c
           LEFT JOIN plan_assignment a ON a.customer_id = c.id AND a.plan_id = $1
           WHERE c.attributes->>$2 = (SELECT attributes->>$2 FROM customer WHERE id = $3)`,
          [planId, attr.attribute, customerDbId],
        );
        notes.push(
          `${pol.name}${tag}: the household (${rows[0]!.members} customers) holds ` +
            `${rows[0]!.contacts} of ${pol.limit} contacts in this plan`,
        );
        break;
      }
      case "custom_capacity": {
        // the report's dual of an average is per unit of its bound (row dual × matching contacts):
        // an option's coefficient is then (measure − bound) / matching contacts
        let matching = 1;
        if (pol.aggregate === "AVERAGE") {
          const { rows } = await pool.query<{ n: number }>(
            `SELECT count(*)::int AS n FROM plan_assignment
             WHERE plan_id = $1 AND ($2::int[] IS NULL OR offer_id = ANY($2))
               AND ($3::int[] IS NULL OR channel_id = ANY($3))`,
            [
              planId,
              pol.filter.offers &&
                catalog.offers.filter((_, o) => pol.filter.offers![o]).map((o) => o.dbId),
              pol.filter.channels &&
                catalog.channels.filter((_, k) => pol.filter.channels![k]).map((c) => c.dbId),
            ],
          );
          matching = Math.max(1, rows[0]!.n);
        }
        opts.forEach((o, p) => {
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
            rec[customRowName(pol, side)] =
              pol.aggregate === "AVERAGE" ? (v - bound) / matching : v;
          }
          custom.set(key(o), rec);
        });
        if (pol.customerValue && Number.isNaN(pol.customerValue[0]!)) {
          notes.push(`${pol.name}${tag}: no value for the measure, so none of its offers`);
        }
        break;
      }
      case "mutual_exclusion":
        break;
    }
  }
  return { facts: { blocked, notes }, custom };
}
