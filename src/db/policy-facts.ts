// The contact policies' facts for a campaign date, from the contact history and the customers'
// attributes, as the core's per-customer typed arrays (src/optimize/policy-types.ts). One
// set-based query per rule, each returning its rows as a single pair of arrays.
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
  const n = instance.numCustomers;
  // customer db id → instance index
  let maxKey = 0;
  for (let i = 0; i < n; i++)
    if (instance.customerKey[i] > maxKey) maxKey = instance.customerKey[i];
  const indexOf = new Int32Array(maxKey + 1).fill(-1);
  for (let i = 0; i < n; i++) indexOf[instance.customerKey[i]] = i;
  const idx = (key: number) => (key >= 0 && key <= maxKey ? indexOf[key] : -1);
  const offerIndex = new Map(catalog.offers.map((o, i) => [o.dbId, i]));
  const offerDb = (list: number[] | null) =>
    list === null ? null : list.map((o) => catalog.offers[o].dbId);
  const channelDb = (list: number[] | null) =>
    list === null ? null : list.map((k) => catalog.channels[k].dbId);
  const day = `${campaignDate}T00:00:00Z`;
  const O = catalog.offers.length;
  const K = catalog.channels.length;
  const mask = (len: number, list: number[] | null) => {
    if (list === null) return null;
    const m = new Uint8Array(len);
    for (const x of list) m[x] = 1;
    return m;
  };
  const filterOf = (f: SpecFilter): OptionFilter => ({
    offers: mask(O, f.offers),
    channels: mask(K, f.channels),
  });

  // one query per rule, on concurrent connections of the pool
  const one = async (spec: PolicySpec): Promise<Policy> => {
    const out: Policy[] = [];
    switch (spec.kind) {
      case "fatigue": {
        const { rows } = await pool.query<{ c: number[] | null; n: number[] | null }>(
          `SELECT array_agg(customer_id) AS c, array_agg(n) AS n FROM (
             SELECT customer_id, count(*)::int AS n FROM contact_history
              WHERE contacted_at >= $1::timestamptz - make_interval(days => $2)
                AND contacted_at < $1::timestamptz + interval '1 day'
                AND ($3::int[] IS NULL OR offer_id = ANY($3))
                AND ($4::int[] IS NULL OR channel_id = ANY($4))
                AND ($5::int[] IS NULL OR customer_id = ANY($5))
              GROUP BY customer_id) t`,
          [
            day,
            spec.windowDays - 1,
            offerDb(spec.filter.offers),
            channelDb(spec.filter.channels),
            only,
          ],
        );
        const prior = new Uint16Array(n);
        const c = rows[0]?.c ?? [];
        const cnt = rows[0]?.n ?? [];
        for (let t = 0; t < c.length; t++) {
          const i = idx(c[t]);
          if (i >= 0) prior[i] = Math.min(65535, cnt[t]);
        }
        out.push({
          kind: "fatigue",
          name: spec.name,
          reportOnly: spec.reportOnly,
          limit: spec.limit,
          windowDays: spec.windowDays,
          filter: filterOf(spec.filter),
          prior,
        });
        break;
      }
      case "cool_off": {
        const { rows } = await pool.query<{ c: number[] | null; o: number[] | null }>(
          `SELECT array_agg(customer_id) AS c, array_agg(offer_id) AS o FROM (
             SELECT DISTINCT customer_id, offer_id FROM contact_history
              WHERE contacted_at >= $1::timestamptz - make_interval(days => $2)
                AND ($3::int[] IS NULL OR offer_id = ANY($3))
                AND ($4::int[] IS NULL OR customer_id = ANY($4))) t`,
          [day, spec.days - 1, offerDb(spec.offers), only],
        );
        const c = rows[0]?.c ?? [];
        const o = rows[0]?.o ?? [];
        const bc: number[] = [];
        const bo: number[] = [];
        for (let t = 0; t < c.length; t++) {
          const i = idx(c[t]);
          const oi = offerIndex.get(o[t]);
          if (i >= 0 && oi !== undefined) {
            bc.push(i);
            bo.push(oi);
          }
        }
        out.push({
          kind: "cool_off",
          name: spec.name,
          reportOnly: spec.reportOnly,
          days: spec.days,
          blockedCustomer: Int32Array.from(bc),
          blockedOffer: Int32Array.from(bo),
        });
        break;
      }
      case "sequencing": {
        const { rows } = await pool.query<{ c: number[] | null }>(
          `SELECT array_agg(DISTINCT customer_id) AS c FROM contact_history
            WHERE offer_id = $3
              AND contacted_at < $1::timestamptz - make_interval(days => $2) + interval '1 day'
              AND ($4::int[] IS NULL OR customer_id = ANY($4))`,
          [day, spec.minDays, catalog.offers[spec.after].dbId, only],
        );
        const qualified = new Uint8Array(n);
        for (const key of rows[0]?.c ?? []) {
          const i = idx(key);
          if (i >= 0) qualified[i] = 1;
        }
        out.push({
          kind: "sequencing",
          name: spec.name,
          reportOnly: spec.reportOnly,
          offer: spec.offer,
          after: spec.after,
          minDays: spec.minDays,
          qualified,
        });
        break;
      }
      case "mutual_exclusion":
        out.push({ ...spec });
        break;
      case "household": {
        const values = await attributeValues(pool, spec.attribute, only);
        const household = new Int32Array(n).fill(-1);
        const dense = new Map<string, number>();
        for (let t = 0; t < values.c.length; t++) {
          const i = idx(values.c[t]);
          const v = values.v[t];
          if (i < 0 || v === null || v.trim() === "") continue;
          let h = dense.get(v);
          if (h === undefined) {
            h = dense.size;
            dense.set(v, h);
          }
          household[i] = h;
        }
        out.push({
          kind: "household",
          name: spec.name,
          reportOnly: spec.reportOnly,
          limit: spec.limit,
          household,
        });
        break;
      }
      case "custom_capacity": {
        let customerValue: Float64Array | null = null;
        if (spec.attribute !== null) {
          const values = await attributeValues(pool, spec.attribute, only);
          customerValue = new Float64Array(n).fill(Number.NaN);
          for (let t = 0; t < values.c.length; t++) {
            const i = idx(values.c[t]);
            const v = values.v[t];
            // an empty cell is "not given", like everywhere in the contract
            if (i >= 0 && v !== null && v.trim() !== "") customerValue[i] = Number(v);
          }
        }
        out.push({
          kind: "custom_capacity",
          name: spec.name,
          reportOnly: spec.reportOnly,
          aggregate: spec.aggregate,
          max: spec.max,
          min: spec.min,
          filter: filterOf(spec.filter),
          customerValue,
          field: spec.field,
        });
        break;
      }
    }
    return out[0]!;
  };
  return Promise.all(specs.map(one));
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
