// The contact policies' facts for a campaign date, from the contact history and the customers'
// attributes, as the core's per-customer typed arrays (src/optimize/policy-types.ts). One
// set-based query per rule, each returning its rows as a single pair of arrays: a loader per
// kind, in a registry of the same shape as the core's (src/optimize/rule-kinds.ts).
//
// Days, UTC: the campaign day T runs from T 00:00Z. A fatigue window of W days is the W calendar
// days ending with T (T − W + 1 … T), so a contact on day T − W is out of it; cool-off D days blocks
// an offer contacted on day T − D + 1 or later (a later-dated contact, e.g. a committed plan for
// next month, blocks too); sequencing needs the earlier offer on day T − D or before.
import type { Pool } from "pg";
import type { PolicySpec, SpecFilter } from "../domain/policy-spec";
import type { Instance } from "../optimize/instance";
import type { OptionFilter, Policy } from "../optimize/policy-types";
import { isCampaignDate } from "../domain/dates";
import type { Catalog } from "./instance-loader";

/** What a kind's facts loader reads with: the pool, the campaign day and the dataset's indexes. */
export interface FactsContext {
  pool: Pool;
  catalog: Catalog;
  /** customers of the instance */
  n: number;
  /** `${campaignDate}T00:00:00Z` */
  day: string;
  /** read only these customers' rows (db ids); null = all */
  only: number[] | null;
  /** customer db id → instance index, -1 = not in the instance */
  indexOf(key: number): number;
  /** offer db id → offer index */
  offerIndex: Map<number, number>;
  /** offer / channel indexes → db ids (null stays null: all) */
  offerDb(list: number[] | null): number[] | null;
  channelDb(list: number[] | null): number[] | null;
  filterOf(f: SpecFilter): OptionFilter;
}

/** How a kind's spec becomes the core's Policy for a campaign date. */
export type FactsLoader<S = PolicySpec> = (spec: S, ctx: FactsContext) => Promise<Policy>;

type Spec<K extends PolicySpec["kind"]> = Extract<PolicySpec, { kind: K }>;

/** One loader per kind; one set-based query each, returning its rows as a pair of arrays. */
const BUILT_IN: { [K in PolicySpec["kind"]]: FactsLoader<Spec<K>> } = {
  fatigue: fatigueFacts,
  cool_off: coolOffFacts,
  sequencing: sequencingFacts,
  mutual_exclusion: async (spec) => ({ ...spec }),
  household: householdFacts,
  custom_capacity: customCapacityFacts,
};

const LOADERS = new Map<string, FactsLoader>(Object.entries(BUILT_IN) as [string, FactsLoader][]);

/** Adds a kind's loader (its spec arrives cast as a PolicySpec); returns its removal. */
export function registerPolicyFacts<S>(kind: string, load: FactsLoader<S>): () => void {
  if (LOADERS.has(kind)) throw new Error(`policy facts for ${kind} are registered already`);
  LOADERS.set(kind, load as unknown as FactsLoader);
  return () => LOADERS.delete(kind);
}

export async function loadPolicies(
  pool: Pool,
  specs: PolicySpec[],
  instance: Instance,
  catalog: Catalog,
  campaignDate: string,
  /** read only these customers' rows (db ids): one customer's explanation */
  only: number[] | null = null,
): Promise<Policy[]> {
  if (!isCampaignDate(campaignDate)) throw new Error(`not a date: ${campaignDate}`);
  const ctx = factsContext(pool, instance, catalog, campaignDate, only);
  // one query per rule, on concurrent connections of the pool
  return Promise.all(
    specs.map((spec) => {
      const load = LOADERS.get(spec.kind);
      if (load === undefined) throw new Error(`no policy facts for kind ${spec.kind}`);
      return load(spec, ctx);
    }),
  );
}

function factsContext(
  pool: Pool,
  instance: Instance,
  catalog: Catalog,
  campaignDate: string,
  only: number[] | null,
): FactsContext {
  const n = instance.numCustomers;
  // customer db id → instance index
  let maxKey = 0;
  for (let i = 0; i < n; i++)
    if (instance.customerKey[i] > maxKey) maxKey = instance.customerKey[i];
  const index = new Int32Array(maxKey + 1).fill(-1);
  for (let i = 0; i < n; i++) index[instance.customerKey[i]] = i;
  const O = catalog.offers.length;
  const K = catalog.channels.length;
  const mask = (len: number, list: number[] | null) => {
    if (list === null) return null;
    const m = new Uint8Array(len);
    for (const x of list) m[x] = 1;
    return m;
  };
  return {
    pool,
    catalog,
    n,
    day: `${campaignDate}T00:00:00Z`,
    only,
    indexOf: (key) => (key >= 0 && key <= maxKey ? index[key] : -1),
    offerIndex: new Map(catalog.offers.map((o, i) => [o.dbId, i])),
    offerDb: (list) => (list === null ? null : list.map((o) => catalog.offers[o].dbId)),
    channelDb: (list) => (list === null ? null : list.map((k) => catalog.channels[k].dbId)),
    filterOf: (f) => ({ offers: mask(O, f.offers), channels: mask(K, f.channels) }),
  };
}

async function fatigueFacts(spec: Spec<"fatigue">, ctx: FactsContext): Promise<Policy> {
  const { rows } = await ctx.pool.query<{ c: number[] | null; n: number[] | null }>(
    `SELECT array_agg(customer_id) AS c, array_agg(n) AS n FROM (
       SELECT customer_id, count(*)::int AS n FROM contact_history
        WHERE contacted_at >= $1::timestamptz - make_interval(days => $2)
          AND contacted_at < $1::timestamptz + interval '1 day'
          AND ($3::int[] IS NULL OR offer_id = ANY($3))
          AND ($4::int[] IS NULL OR channel_id = ANY($4))
          AND ($5::int[] IS NULL OR customer_id = ANY($5))
        GROUP BY customer_id) t`,
    [
      ctx.day,
      spec.windowDays - 1,
      ctx.offerDb(spec.filter.offers),
      ctx.channelDb(spec.filter.channels),
      ctx.only,
    ],
  );
  const prior = new Uint16Array(ctx.n);
  const c = rows[0]?.c ?? [];
  const cnt = rows[0]?.n ?? [];
  for (let t = 0; t < c.length; t++) {
    const i = ctx.indexOf(c[t]);
    if (i >= 0) prior[i] = Math.min(65535, cnt[t]);
  }
  return {
    kind: "fatigue",
    name: spec.name,
    reportOnly: spec.reportOnly,
    limit: spec.limit,
    windowDays: spec.windowDays,
    filter: ctx.filterOf(spec.filter),
    prior,
  };
}

async function coolOffFacts(spec: Spec<"cool_off">, ctx: FactsContext): Promise<Policy> {
  const { rows } = await ctx.pool.query<{ c: number[] | null; o: number[] | null }>(
    `SELECT array_agg(customer_id) AS c, array_agg(offer_id) AS o FROM (
       SELECT DISTINCT customer_id, offer_id FROM contact_history
        WHERE contacted_at >= $1::timestamptz - make_interval(days => $2)
          AND ($3::int[] IS NULL OR offer_id = ANY($3))
          AND ($4::int[] IS NULL OR customer_id = ANY($4))) t`,
    [ctx.day, spec.days - 1, ctx.offerDb(spec.offers), ctx.only],
  );
  const c = rows[0]?.c ?? [];
  const o = rows[0]?.o ?? [];
  const bc: number[] = [];
  const bo: number[] = [];
  for (let t = 0; t < c.length; t++) {
    const i = ctx.indexOf(c[t]);
    const oi = ctx.offerIndex.get(o[t]);
    if (i >= 0 && oi !== undefined) {
      bc.push(i);
      bo.push(oi);
    }
  }
  return {
    kind: "cool_off",
    name: spec.name,
    reportOnly: spec.reportOnly,
    days: spec.days,
    blockedCustomer: Int32Array.from(bc),
    blockedOffer: Int32Array.from(bo),
  };
}

async function sequencingFacts(spec: Spec<"sequencing">, ctx: FactsContext): Promise<Policy> {
  const { rows } = await ctx.pool.query<{ c: number[] | null }>(
    `SELECT array_agg(DISTINCT customer_id) AS c FROM contact_history
      WHERE offer_id = $3
        AND contacted_at < $1::timestamptz - make_interval(days => $2) + interval '1 day'
        AND ($4::int[] IS NULL OR customer_id = ANY($4))`,
    [ctx.day, spec.minDays, ctx.catalog.offers[spec.after].dbId, ctx.only],
  );
  const qualified = new Uint8Array(ctx.n);
  for (const key of rows[0]?.c ?? []) {
    const i = ctx.indexOf(key);
    if (i >= 0) qualified[i] = 1;
  }
  return {
    kind: "sequencing",
    name: spec.name,
    reportOnly: spec.reportOnly,
    offer: spec.offer,
    after: spec.after,
    minDays: spec.minDays,
    qualified,
  };
}

async function householdFacts(spec: Spec<"household">, ctx: FactsContext): Promise<Policy> {
  const values = await attributeValues(ctx.pool, spec.attribute, ctx.only);
  const household = new Int32Array(ctx.n).fill(-1);
  const dense = new Map<string, number>();
  for (let t = 0; t < values.c.length; t++) {
    const i = ctx.indexOf(values.c[t]);
    const v = values.v[t];
    if (i < 0 || v === null || v.trim() === "") continue;
    let h = dense.get(v);
    if (h === undefined) {
      h = dense.size;
      dense.set(v, h);
    }
    household[i] = h;
  }
  return {
    kind: "household",
    name: spec.name,
    reportOnly: spec.reportOnly,
    limit: spec.limit,
    household,
  };
}

async function customCapacityFacts(
  spec: Spec<"custom_capacity">,
  ctx: FactsContext,
): Promise<Policy> {
  let customerValue: Float64Array | null = null;
  if (spec.attribute !== null) {
    const values = await attributeValues(ctx.pool, spec.attribute, ctx.only);
    customerValue = new Float64Array(ctx.n).fill(Number.NaN);
    for (let t = 0; t < values.c.length; t++) {
      const i = ctx.indexOf(values.c[t]);
      const v = values.v[t];
      // an empty cell is "not given", like everywhere in the contract
      if (i >= 0 && v !== null && v.trim() !== "") customerValue[i] = Number(v);
    }
  }
  return {
    kind: "custom_capacity",
    name: spec.name,
    reportOnly: spec.reportOnly,
    aggregate: spec.aggregate,
    max: spec.max,
    min: spec.min,
    filter: ctx.filterOf(spec.filter),
    customerValue,
    field: spec.field,
  };
}

async function attributeValues(
  pool: Pool,
  attribute: string,
  only: number[] | null,
): Promise<{ c: number[]; v: (string | null)[] }> {
  const { rows } = await pool.query<{ c: number[] | null; v: (string | null)[] | null }>(
    `SELECT array_agg(id) AS c, array_agg(attributes->>$1) AS v
       FROM customer WHERE attributes ? $1 AND ($2::int[] IS NULL OR id = ANY($2))`,
    [attribute, only],
  );
  return { c: rows[0]?.c ?? [], v: rows[0]?.v ?? [] };
}
