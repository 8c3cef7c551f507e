// A stored plan as the CLI and reports show it: KPIs, constraint report, contacts by channel and
// offer — read from the per-plan tables written in the plan's transaction, never from assignments.
import { diffDefinitions, type Change } from "../domain/constraint-patch";
import { parseConstraintSet } from "../domain/constraint-set";
import { withOverrides } from "./overrides";
import type { Pool } from "pg";
import type { ReportRow } from "../db/plan-writer";
import { storedTimings } from "../domain/stored-timings";
import {
  catalogueNameRows,
  channelTotals,
  constraintReportRows,
  offerChannelTotals,
  planResultRows,
  reportHeader,
  segmentTotals,
  type ChannelTotal,
  type OfferChannelTotal,
  type ReportHeaderRow,
  type ResultRow,
  type SegmentTotal,
} from "../db/plan-report-reads";

export type { ResultRow } from "../db/plan-report-reads";
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
  offerChannel: OfferChannelTotal[];
  /** every channel, also those the plan does not use */
  channels: ChannelTotal[];
  /** measured results, once responses are imported (bi.plan_results; cells left out) */
  results: ResultRow[];
  segments: SegmentTotal[];
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

export async function planReport(pool: Pool, planId: number): Promise<PlanReport | null> {
  const p = await reportHeader(pool, planId);
  if (!p) return null;
  const parameters = storedPlanParameters(p.parameters);
  const [report, oc, channels, segments, results, names] = await Promise.all([
    constraintReportRows(pool, planId),
    offerChannelTotals(pool, planId),
    channelTotals(pool, planId),
    segmentTotals(pool, planId),
    planResultRows(pool, planId),
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
    timings: storedTimings(p.timings),
    error: p.error,
    provenance: await provenanceOf(pool, p),
    constraintReport: report,
    offerChannel: oc,
    channels,
    segments,
    results,
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
  const { offers, channels } = await catalogueNameRows(pool);
  return {
    offers: Object.fromEntries(offers.map((o) => [o.id, { name: o.name, category: o.category }])),
    channels: Object.fromEntries(channels.map((c) => [c.id, { name: c.name }])),
  };
}

async function provenanceOf(
  pool: Pool,
  p: Pick<
    ReportHeaderRow,
    | "dataset_revision"
    | "history_revision"
    | "fingerprint"
    | "provenance"
    | "failed_in_phase"
    | "replay_of"
  >,
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
