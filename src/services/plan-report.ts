// A stored plan as the CLI and reports show it: KPIs, constraint report, contacts by channel and
// offer — read from the per-plan tables written in the plan's transaction, never from assignments.
import { diffDefinitions, type Change } from "../domain/constraint-patch";
import { parseConstraintSet } from "../domain/constraint-set";
import { withOverrides } from "./overrides";
import type { Pool } from "pg";
import type { ReportRow } from "../db/plan-writer";
import { currentRevisions } from "../db/revisions";
import { storedKpis } from "../domain/stored-kpis";
import { storedPlanParameters, type StoredPlanParameters } from "../domain/stored-parameters";
import { storedProvenance, type StoredProvenance } from "../domain/stored-provenance";
import { replayBlocker } from "../domain/replay";

export interface PlanReport {
  id: number;
  versionNumber: number;
  constraintSetId: number;
  constraintSetName: string;
  constraintSetVersion: number;
  /** the version as saved (its key settings head the report); what-if overrides are in parameters */
  constraintSetDefinition: Record<string, unknown>;
  status: string;
  method: string;
  /** who asked for it: an API key's name, or null for the CLI */
  requestedBy: string | null;
  /** a what-if's changes to its version (its overrides, merged as a patch); null for a plain run */
  whatIf: Change[] | null;
  /** the plan a what-if varies, with its outcome to compare against; null for a plain run */
  basePlan: BasePlan | null;
  /** what its users call it, and why it was run */
  name: string | null;
  notes: string | null;
  createdAt: Date;
  startedAt: Date | null;
  finishedAt: Date | null;
  /** display names of the dataset's offers and channels, by id */
  names: {
    offers: Record<string, { name: string; category: string | null }>;
    channels: Record<string, { name: string }>;
  };
  parameters: StoredPlanParameters;
  kpis: Record<string, unknown> | null;
  timings: Record<string, number> | null;
  error: string | null;
  /** what the plan was computed from (null fields before it succeeded) */
  provenance: {
    datasetRevision: number | null;
    historyRevision: number | null;
    /** why the plan's inputs are gone (it cannot be replayed), or null */
    stale: string | null;
    fingerprint: string | null;
    stored: StoredProvenance | null;
    failedInPhase: string | null;
    replayOf: number | null;
  };
  constraintReport: ReportRow[];
  offerChannel: {
    offer: string;
    channel: string;
    contacts: number;
    expectedReturn: number;
    cost: number;
  }[];
  /** every channel, also those the plan does not use */
  channels: {
    channel: string;
    contacts: number;
    expectedReturn: number;
    cost: number;
    profit: number;
    roi: number | null;
  }[];
  /** measured results, once responses are imported (bi.plan_results; cells left out) */
  results: ResultRow[];
  segments: {
    segment: string | null;
    contacts: number;
    expectedReturn: number;
    cost: number;
    roi: number | null;
  }[];
}

export interface BasePlan {
  id: number;
  /** its run number within the constraint set */
  versionNumber: number;
  name: string | null;
  status: string;
  /** null until it succeeded */
  expectedReturn: number | null;
  cost: number | null;
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

export async function planReport(pool: Pool, planId: number): Promise<PlanReport | null> {
  const plan = await pool.query(
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
  const p = plan.rows[0];
  if (!p) return null;
  const parameters = storedPlanParameters(p.parameters);
  const [report, oc, channels, segments, results, names] = await Promise.all([
    pool.query(
      `SELECT name, kind, sense, activity, bound, slack, dual, binding, report_only AS "reportOnly",
              cluster_lp_dual AS "clusterLpDual"
       FROM plan_constraint_report
       WHERE plan_id = $1 ORDER BY kind, name`,
      [planId],
    ),
    pool.query(
      `SELECT o.external_id AS offer, c.external_id AS channel, sum(s.contacts)::int AS contacts,
              sum(s.expected_return) AS "expectedReturn", sum(s.cost) AS cost
       FROM plan_summary s JOIN offer o ON o.id = s.offer_id JOIN channel c ON c.id = s.channel_id
       WHERE s.plan_id = $1 GROUP BY 1, 2 ORDER BY 1, 2`,
      [planId],
    ),
    pool.query(
      // the BI views' numeric, back to the float8 the plan computed (node-pg reads numeric as text)
      `SELECT channel_id AS channel, contacts::int, expected_return::float8 AS "expectedReturn",
              cost::float8, profit::float8, roi::float8
       FROM bi.channel_profitability WHERE plan_id = $1 ORDER BY channel_id`,
      [planId],
    ),
    pool.query(
      `SELECT segment, contacts::int, expected_return::float8 AS "expectedReturn", cost::float8,
              roi::float8
       FROM bi.segment_summary WHERE plan_id = $1 ORDER BY segment NULLS LAST`,
      [planId],
    ),
    pool.query<ResultRow>(
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
    ),
    catalogueNames(pool),
  ]);
  return {
    id: p.id,
    versionNumber: p.version_number,
    constraintSetId: p.set_id,
    constraintSetName: p.set_name,
    constraintSetVersion: p.set_version,
    constraintSetDefinition: p.definition,
    status: p.status,
    method: p.method,
    requestedBy: p.requested_by,
    name: p.name,
    notes: p.notes,
    whatIf: whatIfChanges(p.definition, parameters),
    basePlan: basePlanOf(p),
    createdAt: p.created_at,
    startedAt: p.started_at,
    finishedAt: p.finished_at,
    names,
    parameters,
    kpis: p.kpis,
    timings: p.timings,
    error: p.error,
    provenance: await provenanceOf(pool, p),
    constraintReport: report.rows,
    offerChannel: oc.rows,
    channels: channels.rows,
    segments: segments.rows,
    results: results.rows,
  };
}

function basePlanOf(p: {
  base_id: number | null;
  base_run: number;
  base_name: string | null;
  base_status: string;
  base_kpis: unknown;
}): BasePlan | null {
  if (p.base_id === null) return null;
  const k = p.base_kpis === null ? null : storedKpis(p.base_kpis);
  return {
    id: p.base_id,
    versionNumber: p.base_run,
    name: p.base_name,
    status: p.base_status,
    expectedReturn: k?.expectedReturn ?? null,
    cost: k?.cost ?? null,
  };
}

function whatIfChanges(definition: unknown, parameters: StoredPlanParameters): Change[] | null {
  const { overrides } = parameters;
  if (!overrides) return null;
  const parsed = parseConstraintSet(definition);
  if (!parsed.ok) return null;
  try {
    return diffDefinitions(parsed.value, withOverrides(parsed.value, overrides));
  } catch {
    // overrides stored by a release that replaced lists whole may not merge: show them as given
    return null;
  }
}

async function catalogueNames(pool: Pool): Promise<PlanReport["names"]> {
  const [offers, channels] = await Promise.all([
    pool.query<{ id: string; name: string; category: string | null }>(
      "SELECT external_id AS id, name, category FROM offer",
    ),
    pool.query<{ id: string; name: string }>("SELECT external_id AS id, name FROM channel"),
  ]);
  return {
    offers: Object.fromEntries(
      offers.rows.map((o) => [o.id, { name: o.name, category: o.category }]),
    ),
    channels: Object.fromEntries(channels.rows.map((c) => [c.id, { name: c.name }])),
  };
}

async function provenanceOf(
  pool: Pool,
  p: {
    dataset_revision: string | null;
    history_revision: string | null;
    fingerprint: string | null;
    provenance: unknown;
    failed_in_phase: string | null;
    replay_of: number | null;
  },
): Promise<PlanReport["provenance"]> {
  const datasetRevision = p.dataset_revision === null ? null : Number(p.dataset_revision);
  const historyRevision = p.history_revision === null ? null : Number(p.history_revision);
  const stale =
    datasetRevision === null
      ? null
      : replayBlocker({ datasetRevision, historyRevision }, await currentRevisions(pool));
  return {
    datasetRevision,
    historyRevision,
    stale,
    fingerprint: p.fingerprint,
    stored: storedProvenance(p.provenance),
    failedInPhase: p.failed_in_phase,
    replayOf: p.replay_of,
  };
}

/** The plan's inputs in a few words each, for one line under its title (CLI and HTML report). */
export function provenanceParts(r: PlanReport): string[] {
  const p = r.provenance;
  const params = r.parameters;
  const e = p.stored?.effective;
  return [
    `dataset revision ${p.datasetRevision ?? "-"}`,
    p.historyRevision !== null ? `history revision ${p.historyRevision}` : null,
    params.campaignDate ? `campaign date ${params.campaignDate}` : null,
    `seed ${params.seed ?? 1}`,
    e?.clusters != null ? `${e.clusters} clusters` : null,
    e?.dualPasses != null ? `${e.dualPasses} dual passes` : null,
    e?.solver ? `solver ${e.solver}` : null,
    e ? `${e.threads} thread${e.threads === 1 ? "" : "s"}` : null,
    e ? (e.warmStartFrom != null ? `warm start from plan ${e.warmStartFrom}` : "cold start") : null,
    p.stored ? `offerplan ${p.stored.softwareVersion}` : null,
    p.replayOf !== null ? `replay of plan ${p.replayOf}` : null,
  ].filter((x): x is string => x !== null);
}

/**
 * A what-if's base plan in one line (CLI and HTML report): which plan it varies and how the
 * what-if's expected return compares with the base's; null for a plain run.
 */
export function basePlanLine(r: PlanReport, money: (v: number) => string): string | null {
  const b = r.basePlan;
  if (!b) {
    return r.whatIf ? "none (its version had no SUCCEEDED plain run when it was asked for)" : null;
  }
  const title = `plan ${b.id}${b.name ? ` "${b.name}"` : ""} (run ${b.versionNumber})`;
  const mine = storedKpis(r.kpis).expectedReturn;
  if (b.expectedReturn === null || mine === undefined) return `${title}, ${b.status}`;
  const delta = mine - b.expectedReturn;
  const share =
    b.expectedReturn !== 0 ? ` (${((delta / b.expectedReturn) * 100).toFixed(1)} %)` : "";
  return `${title}: expected return ${money(b.expectedReturn)} there, ${money(mine)} here, ${delta >= 0 ? "+" : "−"}${money(Math.abs(delta))}${share}`;
}
