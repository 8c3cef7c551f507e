// comparePlans: what changed between two SUCCEEDED plans. KPIs come from the plans' own rows,
// offer × channel contacts from plan_summary and duals from plan_constraint_report (small tables);
// only the changed customers read the assignment partitions, set-based.
import type { KeysetPage } from "../domain/keyset";
import { storedKpis, type StoredKpis } from "../domain/stored-kpis";
import type { Pool } from "pg";
import { ConflictError } from "./errors";
import type { Plan } from "./records";

export interface OfferChannelDelta {
  offerDbId: number;
  channelDbId: number;
  contactsA: number;
  contactsB: number;
  contactsDelta: number;
  expectedReturnA: number;
  expectedReturnB: number;
  expectedReturnDelta: number;
}

export interface OfferChannelPair {
  offerDbId: number;
  channelDbId: number;
}

/** A customer whose offers or channels differ between the plans. */
export interface ChangedAssignment {
  customerDbId: number;
  a: OfferChannelPair[];
  b: OfferChannelPair[];
}

/** Both plans must have finished: only then are their rows complete and immutable. */
export function requireComparable(a: Plan, b: Plan): void {
  for (const p of [a, b])
    if (p.status !== "SUCCEEDED")
      throw new ConflictError(`plan ${p.id} is ${p.status}; only SUCCEEDED plans can be compared`);
}

export interface KpiDelta {
  a: number | null;
  b: number | null;
  /** b − a, null when either is unknown */
  delta: number | null;
}

const KPI_NAMES = ["expectedReturn", "cost", "roi", "contacts", "upperBound", "gap"] as const;
type KpiName = (typeof KPI_NAMES)[number];

/** One field per KPI, then contacts per channel (by external channel id, in id order). */
export type KpiDeltas = Record<KpiName, KpiDelta> & {
  contactsByChannel: (KpiDelta & { channelId: string })[];
};

function kpiValue(k: StoredKpis, name: KpiName): number | null {
  // As Plan.kpis reports it: no ROI when nothing was spent.
  if (name === "roi") return k.cost ? (k.roi ?? null) : null;
  const v = k[name];
  return typeof v === "number" && Number.isFinite(v) ? v : null;
}

const delta = (a: number | null, b: number | null): KpiDelta => ({
  a,
  b,
  delta: a === null || b === null ? null : b - a,
});

/** The plans' KPIs side by side. */
export function kpiDeltas(a: Plan, b: Plan): KpiDeltas {
  const ka = storedKpis(a.kpis);
  const kb = storedKpis(b.kpis);
  const channels = [
    ...new Set([
      ...Object.keys(ka.contactsByChannel ?? {}),
      ...Object.keys(kb.contactsByChannel ?? {}),
    ]),
  ].sort();
  // A channel a plan did not use has 0 contacts in it, not an unknown number.
  const contacts = (k: StoredKpis, ch: string) =>
    k.contactsByChannel ? (k.contactsByChannel[ch] ?? 0) : null;
  const byKpi = Object.fromEntries(
    KPI_NAMES.map((n) => [n, delta(kpiValue(ka, n), kpiValue(kb, n))]),
  ) as Record<KpiName, KpiDelta>;
  return {
    ...byKpi,
    contactsByChannel: channels.map((ch) => ({
      channelId: ch,
      ...delta(contacts(ka, ch), contacts(kb, ch)),
    })),
  };
}

/** Every offer × channel either plan contacts (treatment contacts, from plan_summary). */
export async function offerChannelDeltas(
  pool: Pool,
  a: number,
  b: number,
): Promise<OfferChannelDelta[]> {
  const res = await pool.query<OfferChannelDelta>(
    `SELECT s.offer_id AS "offerDbId", s.channel_id AS "channelDbId",
            coalesce(sum(s.contacts) FILTER (WHERE s.plan_id = $1), 0)::int AS "contactsA",
            coalesce(sum(s.contacts) FILTER (WHERE s.plan_id = $2), 0)::int AS "contactsB",
            coalesce(sum(s.expected_return) FILTER (WHERE s.plan_id = $1), 0) AS "expectedReturnA",
            coalesce(sum(s.expected_return) FILTER (WHERE s.plan_id = $2), 0) AS "expectedReturnB"
     FROM plan_summary s
     JOIN offer o ON o.id = s.offer_id JOIN channel ch ON ch.id = s.channel_id
     WHERE s.plan_id IN ($1, $2)
     GROUP BY s.offer_id, s.channel_id, o.external_id, ch.external_id
     ORDER BY o.external_id, ch.external_id`,
    [a, b],
  );
  return res.rows.map((r) => ({
    ...r,
    contactsDelta: r.contactsB - r.contactsA,
    expectedReturnDelta: r.expectedReturnB - r.expectedReturnA,
  }));
}

export interface DualChange {
  constraint: string;
  kind: string;
  dualA: number | null;
  dualB: number | null;
  delta: number | null;
  bindingA: boolean | null;
  bindingB: boolean | null;
}

/** The two constraint reports joined on the constraint's name (a row present in either). */
export async function dualChanges(pool: Pool, a: number, b: number): Promise<DualChange[]> {
  const res = await pool.query<DualChange>(
    `SELECT coalesce(ra.name, rb.name) AS "constraint", coalesce(ra.kind, rb.kind) AS kind,
            ra.dual AS "dualA", rb.dual AS "dualB", rb.dual - ra.dual AS delta,
            ra.binding AS "bindingA", rb.binding AS "bindingB"
     FROM (SELECT * FROM plan_constraint_report WHERE plan_id = $1) ra
     FULL JOIN (SELECT * FROM plan_constraint_report WHERE plan_id = $2) rb ON rb.name = ra.name
     ORDER BY 2, 1`,
    [a, b],
  );
  return res.rows;
}

// A customer changed when its set of (offer, channel) differs. Within one plan a customer holds
// an offer at most once (the partition's key), so the pairs ordered by offer are a canonical form
// of the set, and one ordered pass over both partitions by customer compares them: the keyset
// page stops as soon as it has its rows, where a join would sort both partitions first.
const PAIRS_A =
  "array_agg(ARRAY[offer_id, channel_id] ORDER BY offer_id) FILTER (WHERE plan_id = $1)";
const PAIRS_B =
  "array_agg(ARRAY[offer_id, channel_id] ORDER BY offer_id) FILTER (WHERE plan_id = $2)";
const CHANGED = `
  FROM plan_assignment
  WHERE plan_id IN ($1, $2) AND customer_id > $3 AND customer_id < $4
  GROUP BY customer_id
  HAVING ${PAIRS_A} IS DISTINCT FROM ${PAIRS_B}`;

/** The count, from plan_comparison when this pair was counted before. */
export async function changedCustomerCount(pool: Pool, a: number, b: number): Promise<number> {
  if (a === b) return 0;
  const [lo, hi] = a < b ? [a, b] : [b, a];
  const cached = await pool.query<{ n: number }>(
    "SELECT changed_customers AS n FROM plan_comparison WHERE plan_a = $1 AND plan_b = $2",
    [lo, hi],
  );
  if (cached.rows[0]) return cached.rows[0].n;
  const started = performance.now();
  const res = await pool.query<{ n: number }>(
    `SELECT count(*)::int AS n FROM (SELECT customer_id ${CHANGED}) t`,
    [lo, hi, 0, INT4_MAX],
  );
  const n = res.rows[0]!.n;
  // Only finished plans are immutable; a concurrent first request may have stored it already.
  await pool.query(
    `INSERT INTO plan_comparison (plan_a, plan_b, changed_customers, seconds)
     SELECT $1, $2, $3, $4
     WHERE (SELECT count(*) FROM plan WHERE id IN ($1, $2) AND status = 'SUCCEEDED') = 2
     ON CONFLICT DO NOTHING`,
    [lo, hi, n, (performance.now() - started) / 1000],
  );
  return n;
}

const pairs = (v: number[][] | null): OfferChannelPair[] =>
  (v ?? []).map(([offerDbId, channelDbId]) => ({
    offerDbId: offerDbId!,
    channelDbId: channelDbId!,
  }));

const INT4_MAX = 2147483647;

/** A keyset page of the changed customers in database-id order. */
export async function changedCustomers(
  pool: Pool,
  a: number,
  b: number,
  page: KeysetPage,
): Promise<ChangedAssignment[]> {
  if (a === b || page.limit <= 0) return [];
  const at = (page.key?.[0] as number | undefined) ?? null;
  // the row to start after bounds the range on the side the page travels from
  const [above, below] = page.backward ? [0, at ?? INT4_MAX] : [at ?? 0, INT4_MAX];
  const res = await pool.query<{
    customerDbId: number;
    a: number[][] | null;
    b: number[][] | null;
  }>(
    `SELECT customer_id AS "customerDbId", ${PAIRS_A} AS a, ${PAIRS_B} AS b
     ${CHANGED}
     ORDER BY customer_id ${page.backward ? "DESC" : "ASC"} LIMIT $5`,
    [a, b, above, below, page.limit],
  );
  return res.rows.map((r) => ({ customerDbId: r.customerDbId, a: pairs(r.a), b: pairs(r.b) }));
}
