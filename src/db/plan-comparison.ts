// The SQL of a comparison between two plans (services/compare-plans.ts): offer × channel totals
// from plan_summary, duals from plan_constraint_report, and the customers whose assignments
// differ, read set-based from the two assignment partitions.
import type { Pool } from "pg";
import type { KeysetPage } from "../domain/keyset";

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
