// What a plan's report reads (services/plan-report.ts): the plan with its constraint-set version
// and base plan, and the per-plan tables and BI views written in or over the plan's transaction.
import type { Pool } from "pg";
import type { ReportRow } from "./plan-writer";

/** The plan row with its constraint set, version and what-if base, as the report reads it. */
export interface ReportHeaderRow {
  id: number;
  version_number: number;
  status: string;
  method: string;
  parameters: unknown;
  kpis: Record<string, unknown> | null;
  /** read through domain/stored-timings.ts */
  timings: unknown;
  error: string | null;
  dataset_revision: string | null;
  history_revision: string | null;
  fingerprint: string | null;
  provenance: unknown;
  failed_in_phase: string | null;
  replay_of: number | null;
  requested_by: string | null;
  name: string | null;
  notes: string | null;
  created_at: Date;
  started_at: Date | null;
  finished_at: Date | null;
  set_id: number;
  set_name: string;
  set_version: number;
  definition: Record<string, unknown>;
  base_id: number | null;
  base_run: number;
  base_name: string | null;
  base_status: string;
  base_kpis: unknown;
}

export interface OfferChannelTotal {
  offer: string;
  channel: string;
  contacts: number;
  expectedReturn: number;
  cost: number;
}

export interface ChannelTotal {
  channel: string;
  contacts: number;
  expectedReturn: number;
  cost: number;
  profit: number;
  roi: number | null;
}

export interface SegmentTotal {
  segment: string | null;
  contacts: number;
  expectedReturn: number;
  cost: number;
  roi: number | null;
}

export interface ResultRow {
  level: string;
  segment: string | null;
  offer: string | null;
  channel: string | null;
  treatmentCustomers: number;
  controlCustomers: number;
  treatmentResponseRate: number | null;
  controlResponseRate: number | null;
  uplift: number | null;
  upliftCiLow: number | null;
  upliftCiHigh: number | null;
  predictedResponseRate: number | null;
  treatmentRevenuePerCustomer: number | null;
}

export async function reportHeader(
  pool: Pool,
  planId: number,
): Promise<ReportHeaderRow | undefined> {
  const plan = await pool.query<ReportHeaderRow>(
    `SELECT p.id, p.version_number, p.status, p.method, p.parameters, p.kpis, p.timings, p.error,
            p.dataset_revision::text, p.history_revision::text, p.fingerprint, p.provenance,
            p.failed_in_phase, p.replay_of, p.requested_by, p.name, p.notes, p.created_at, p.started_at,
            p.finished_at, s.id AS set_id, s.name AS set_name, v.version AS set_version,
            v.definition, b.id AS base_id, b.version_number AS base_run, b.name AS base_name,
            b.status AS base_status, b.kpis AS base_kpis
     FROM plan p JOIN constraint_set_version v ON v.id = p.constraint_set_version_id
     JOIN constraint_set s ON s.id = v.constraint_set_id
     LEFT JOIN plan b ON b.id = p.base_plan_id WHERE p.id = $1`,
    [planId],
  );
  return plan.rows[0];
}

export async function constraintReportRows(pool: Pool, planId: number): Promise<ReportRow[]> {
  const res = await pool.query<ReportRow>(
    `SELECT name, kind, sense, activity, bound, slack, dual, binding, report_only AS "reportOnly",
            cluster_lp_dual AS "clusterLpDual"
     FROM plan_constraint_report
     WHERE plan_id = $1 ORDER BY kind, name`,
    [planId],
  );
  return res.rows;
}

export async function offerChannelTotals(pool: Pool, planId: number): Promise<OfferChannelTotal[]> {
  const res = await pool.query<OfferChannelTotal>(
    `SELECT o.external_id AS offer, c.external_id AS channel, sum(s.contacts)::int AS contacts,
            sum(s.expected_return) AS "expectedReturn", sum(s.cost) AS cost
     FROM plan_summary s JOIN offer o ON o.id = s.offer_id JOIN channel c ON c.id = s.channel_id
     WHERE s.plan_id = $1 GROUP BY 1, 2 ORDER BY 1, 2`,
    [planId],
  );
  return res.rows;
}

export async function channelTotals(pool: Pool, planId: number): Promise<ChannelTotal[]> {
  const res = await pool.query<ChannelTotal>(
    // the BI views' numeric, back to the float8 the plan computed (node-pg reads numeric as text)
    `SELECT channel_id AS channel, contacts::int, expected_return::float8 AS "expectedReturn",
            cost::float8, profit::float8, roi::float8
     FROM bi.channel_profitability WHERE plan_id = $1 ORDER BY channel_id`,
    [planId],
  );
  return res.rows;
}

export async function segmentTotals(pool: Pool, planId: number): Promise<SegmentTotal[]> {
  const res = await pool.query<SegmentTotal>(
    `SELECT segment, contacts::int, expected_return::float8 AS "expectedReturn", cost::float8,
            roi::float8
     FROM bi.segment_summary WHERE plan_id = $1 ORDER BY segment NULLS LAST`,
    [planId],
  );
  return res.rows;
}

/** Measured results (bi.plan_results) without the per-cell rows: total, segment, offer, channel. */
export async function planResultRows(pool: Pool, planId: number): Promise<ResultRow[]> {
  const res = await pool.query<ResultRow>(
    `SELECT level, segment, offer_id AS offer, channel_id AS channel,
            treatment_customers::int AS "treatmentCustomers",
            control_customers::int AS "controlCustomers",
            treatment_response_rate::float8 AS "treatmentResponseRate",
            control_response_rate::float8 AS "controlResponseRate", uplift::float8,
            uplift_ci_low::float8 AS "upliftCiLow", uplift_ci_high::float8 AS "upliftCiHigh",
            predicted_response_rate::float8 AS "predictedResponseRate",
            treatment_revenue_per_customer::float8 AS "treatmentRevenuePerCustomer"
     FROM bi.plan_results WHERE plan_id = $1 AND level <> 'cell'
     ORDER BY array_position(ARRAY['total','segment','offer','channel'], level),
              segment NULLS FIRST, offer_id NULLS FIRST, channel_id NULLS FIRST`,
    [planId],
  );
  return res.rows;
}

/** Every offer's and channel's display name, by external id. */
export async function catalogueNameRows(pool: Pool): Promise<{
  offers: { id: string; name: string; category: string | null }[];
  channels: { id: string; name: string }[];
}> {
  const [offers, channels] = await Promise.all([
    pool.query<{ id: string; name: string; category: string | null }>(
      "SELECT external_id AS id, name, category FROM offer",
    ),
    pool.query<{ id: string; name: string }>("SELECT external_id AS id, name FROM channel"),
  ]);
  return { offers: offers.rows, channels: channels.rows };
}
