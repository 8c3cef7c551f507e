// What the API and the CLI read from stored plans: the plan rows, and the per-plan tables written
// in the plan's transaction (clusters, proportions, summary, constraint report). Assignment pages
// are keyset reads of the plan's own partition of plan_assignment.
import type { Pool } from "pg";
import type { Plan, PlanMethod, PlanStatus } from "../generated/prisma/client";
import type { KeysetPage } from "../domain/keyset";
import { keysetSql } from "./keyset";
import type { ReportRow } from "./plan-writer";
import type { PrismaClient } from "./prisma";

export interface Proportion {
  cluster: number;
  offerDbId: number;
  channelDbId: number;
  proportion: number;
  customers: number;
}

export interface Assignment {
  planId: number;
  customerDbId: number;
  offerDbId: number;
  channelDbId: number;
  expectedReturn: number;
  cost: number;
  group: "TREATMENT" | "CONTROL";
  wave: string | null;
}

export interface PlanCluster {
  index: number;
  segment: string | null;
  size: number;
  meanReturn: number;
  meanCost: number;
  centroid: number[] | null;
}

/** One plan_summary row: treatment contacts of a segment × offer × channel. */
export interface SummaryRow {
  segment: string;
  offerDbId: number;
  channelDbId: number;
  contacts: number;
  expectedReturn: number;
  cost: number;
}

/** An assignment filter with its offer and channel already resolved to database ids. */
export interface AssignmentConditions {
  offerDbId?: number;
  channelDbId?: number;
  group?: "TREATMENT" | "CONTROL";
  segment?: string;
}

export interface PlanListFilter {
  status?: PlanStatus[];
  method?: PlanMethod;
  constraintSetVersionId?: number;
  constraintSetId?: number;
}

export const PLAN_COLUMNS = `id, version_number AS "versionNumber",
            constraint_set_version_id AS "constraintSetVersionId", status, method, parameters,
            scenario, progress, phase, kpis, timings, error, created_at AS "createdAt",
            started_at AS "startedAt", finished_at AS "finishedAt", requested_by AS "requestedBy",
            membership_plan_id AS "membershipPlanId",
            -- Prisma reads these as bigint; numbers read the same through Number()
            dataset_revision::float8 AS "datasetRevision",
            history_revision::float8 AS "historyRevision", fingerprint, provenance,
            failed_in_phase AS "failedInPhase", replay_of AS "replayOfId",
            requested_by_key_id AS "requestedByKeyId", name, notes, approved_at AS "approvedAt",
            approved_by AS "approvedBy", run_by AS "runBy", base_plan_id AS "basePlanId"`;

/**
 * The dataset revision a SUCCEEDED plan was computed on, as text (a bigint): null when it was not
 * recorded, undefined when the plan did not succeed.
 */
export async function succeededPlanRevision(
  pool: Pool,
  planId: number,
): Promise<string | null | undefined> {
  const src = await pool.query<{ dataset_revision: string | null }>(
    "SELECT dataset_revision::text FROM plan WHERE id = $1 AND status = 'SUCCEEDED'",
    [planId],
  );
  return src.rows[0]?.dataset_revision;
}

// The plan row is read on nearly every request; through the pool it skips Prisma's query
// compiler (a measurable share of a ~5 ms request).
export async function plansByIds(pool: Pool, ids: readonly number[]): Promise<Plan[]> {
  const res = await pool.query<Plan>(`SELECT ${PLAN_COLUMNS} FROM plan WHERE id = ANY($1::int[])`, [
    ids,
  ]);
  return res.rows;
}

/** What plans can be sorted by; each order ends in the plan id, which makes it total. */
export type PlanOrderField = "CREATED_AT" | "VERSION_NUMBER";
const PLAN_ORDER: Record<PlanOrderField, string[]> = {
  CREATED_AT: ["created_at", "id"],
  VERSION_NUMBER: ["version_number", "id"],
};

/** The sort key a plan has in an order (what its cursor holds). */
export function planSortKey(p: Plan, field: PlanOrderField): (number | string)[] {
  return field === "CREATED_AT" ? [p.createdAt.toISOString(), p.id] : [p.versionNumber, p.id];
}

function planListWhere(filter: PlanListFilter, params: unknown[]): string {
  const where: string[] = [];
  const add = (sql: string, v: unknown) => {
    params.push(v);
    where.push(sql.replace("?", `$${params.length}`));
  };
  if (filter.status?.length) add("p.status::text = ANY(?::text[])", filter.status);
  if (filter.method) add("p.method::text = ?", filter.method);
  if (filter.constraintSetVersionId !== undefined)
    add("p.constraint_set_version_id = ?", filter.constraintSetVersionId);
  if (filter.constraintSetId !== undefined)
    add(
      "p.constraint_set_version_id IN (SELECT id FROM constraint_set_version WHERE constraint_set_id = ?)",
      filter.constraintSetId,
    );
  return where.length ? where.join(" AND ") : "TRUE";
}

/** One keyset page of plans in `order`, and how many match the filter. */
export async function listPlans(
  pool: Pool,
  filter: PlanListFilter,
  order: { field: PlanOrderField; descending: boolean },
  page: KeysetPage,
): Promise<{ rows: Plan[]; totalCount: number }> {
  const params: unknown[] = [];
  const where = planListWhere(filter, params);
  const countParams = [...params];
  const ks = keysetSql(
    PLAN_ORDER[order.field].map((c) => `p.${c}`),
    order.descending,
    page,
    params,
  );
  const [rows, count] = await Promise.all([
    pool.query<Plan>(
      `SELECT ${PLAN_COLUMNS} FROM plan p WHERE ${where} AND ${ks.where}
       ORDER BY ${ks.orderBy} LIMIT $${params.length}`,
      params,
    ),
    pool.query<{ n: number }>(`SELECT count(*)::int AS n FROM plan p WHERE ${where}`, countParams),
  ]);
  return { rows: rows.rows, totalCount: count.rows[0]!.n };
}

export async function planFingerprint(prisma: PrismaClient, id: number): Promise<string | null> {
  return (await prisma.plan.findUniqueOrThrow({ where: { id } })).fingerprint;
}

/** A keyset page of a plan's clusters in index order, and how many the plan has. */
export async function planClusters(
  pool: Pool,
  planId: number,
  page: KeysetPage,
): Promise<{ rows: PlanCluster[]; totalCount: number }> {
  const params: unknown[] = [planId];
  const ks = keysetSql(["cluster_index"], false, page, params);
  const [rows, count] = await Promise.all([
    pool.query<PlanCluster>(
      `SELECT cluster_index AS index, segment, size, mean_return AS "meanReturn",
              mean_cost AS "meanCost", centroid
       FROM plan_cluster WHERE plan_id = $1 AND ${ks.where}
       ORDER BY ${ks.orderBy} LIMIT $${params.length}`,
      params,
    ),
    pool.query<{ n: number }>("SELECT count(*)::int AS n FROM plan_cluster WHERE plan_id = $1", [
      planId,
    ]),
  ]);
  return { rows: rows.rows, totalCount: count.rows[0]!.n };
}

/** A keyset page of proportions in (cluster, offer, channel) order, of one cluster or all. */
export async function planProportions(
  pool: Pool,
  planId: number,
  page: KeysetPage,
  cluster: number | null,
): Promise<{ rows: Proportion[]; totalCount: number }> {
  const params: unknown[] = [planId, cluster];
  const only = "plan_id = $1 AND ($2::int IS NULL OR cluster_index = $2)";
  const ks = keysetSql(["cluster_index", "offer_id", "channel_id"], false, page, params);
  const [rows, count] = await Promise.all([
    pool.query<Proportion>(
      `SELECT cluster_index AS cluster, offer_id AS "offerDbId", channel_id AS "channelDbId",
              proportion, customers
       FROM plan_proportion WHERE ${only} AND ${ks.where}
       ORDER BY ${ks.orderBy} LIMIT $${params.length}`,
      params,
    ),
    pool.query<{ n: number }>(`SELECT count(*)::int AS n FROM plan_proportion WHERE ${only}`, [
      planId,
      cluster,
    ]),
  ]);
  return { rows: rows.rows, totalCount: count.rows[0]!.n };
}

/** SQL conditions on plan_assignment `a` (and customer `c`), their values appended to params. */
function assignmentWhere(
  c: AssignmentConditions,
  params: unknown[],
): { where: string[]; joinCustomer: boolean } {
  const where: string[] = [];
  if (c.offerDbId !== undefined) {
    params.push(c.offerDbId);
    where.push(`a.offer_id = $${params.length}`);
  }
  if (c.channelDbId !== undefined) {
    params.push(c.channelDbId);
    where.push(`a.channel_id = $${params.length}`);
  }
  if (c.group !== undefined) {
    params.push(c.group.toLowerCase());
    where.push(`a."group" = $${params.length}`);
  }
  if (c.segment !== undefined) {
    params.push(c.segment);
    where.push(`c.segment = $${params.length}`);
  }
  return { where, joinCustomer: c.segment !== undefined };
}

/**
 * What assignments can be sorted by: each order ends in (customer, offer), unique in a plan. The
 * customer order is the partition's primary key; the others sort the plan's matching rows.
 */
export type AssignmentOrderField = "CUSTOMER" | "EXPECTED_RETURN" | "COST";
const ASSIGNMENT_ORDER: Record<AssignmentOrderField, string[]> = {
  CUSTOMER: ["a.customer_id", "a.offer_id"],
  EXPECTED_RETURN: ["a.expected_return", "a.customer_id", "a.offer_id"],
  COST: ["a.cost", "a.customer_id", "a.offer_id"],
};

export function assignmentSortKey(a: Assignment, field: AssignmentOrderField): number[] {
  const tail = [a.customerDbId, a.offerDbId];
  if (field === "EXPECTED_RETURN") return [a.expectedReturn, ...tail];
  if (field === "COST") return [a.cost, ...tail];
  return tail;
}

/** A keyset page of a plan's assignments in `order`. */
export async function assignmentPage(
  pool: Pool,
  planId: number,
  order: { field: AssignmentOrderField; descending: boolean },
  page: KeysetPage,
  conditions: AssignmentConditions,
): Promise<Assignment[]> {
  const params: unknown[] = [planId];
  const { where, joinCustomer } = assignmentWhere(conditions, params);
  const ks = keysetSql(ASSIGNMENT_ORDER[order.field], order.descending, page, params);
  const res = await pool.query<Assignment>(
    `SELECT a.plan_id AS "planId", a.customer_id AS "customerDbId", a.offer_id AS "offerDbId",
            a.channel_id AS "channelDbId", a.expected_return AS "expectedReturn", a.cost,
            upper(a."group") AS "group", a.wave
     FROM plan_assignment a
     ${joinCustomer ? "JOIN customer c ON c.id = a.customer_id" : ""}
     WHERE a.plan_id = $1 AND ${ks.where}
           ${where.map((w) => `AND ${w}`).join(" ")}
     ORDER BY ${ks.orderBy} LIMIT $${params.length}`,
    params,
  );
  return res.rows;
}

/** A count over the partition: what plan_summary cannot answer (it holds treatment rows only). */
export async function countAssignments(
  pool: Pool,
  planId: number,
  conditions: AssignmentConditions,
): Promise<number> {
  const params: unknown[] = [planId];
  const { where, joinCustomer } = assignmentWhere(conditions, params);
  const res = await pool.query<{ n: number }>(
    `SELECT count(*)::int AS n FROM plan_assignment a
     ${joinCustomer ? "JOIN customer c ON c.id = a.customer_id" : ""}
     WHERE a.plan_id = $1 ${where.map((w) => `AND ${w}`).join(" ")}`,
    params,
  );
  return res.rows[0]!.n;
}

/** A keyset page of one customer's assignments, newest plan first; planIds null = every plan. */
export async function customerAssignments(
  pool: Pool,
  customerDbId: number,
  planIds: number[] | null,
  page: KeysetPage,
): Promise<{ rows: Assignment[]; totalCount: number }> {
  const only = "a.customer_id = $1 AND ($2::int[] IS NULL OR a.plan_id = ANY($2::int[]))";
  const params: unknown[] = [customerDbId, planIds];
  // newest plan first, then the offer: both columns descending keep one row comparison
  const ks = keysetSql(["a.plan_id", "a.offer_id"], true, page, params);
  const [rows, count] = await Promise.all([
    pool.query<Assignment>(
      `SELECT a.plan_id AS "planId", a.customer_id AS "customerDbId", a.offer_id AS "offerDbId",
              a.channel_id AS "channelDbId", a.expected_return AS "expectedReturn", a.cost,
              upper(a."group") AS "group", a.wave
       FROM plan_assignment a
       WHERE ${only} AND ${ks.where}
       ORDER BY ${ks.orderBy} LIMIT $${params.length}`,
      params,
    ),
    pool.query<{ n: number }>(`SELECT count(*)::int AS n FROM plan_assignment a WHERE ${only}`, [
      customerDbId,
      planIds,
    ]),
  ]);
  return { rows: rows.rows, totalCount: count.rows[0]!.n };
}

export async function constraintReports(
  pool: Pool,
  planIds: readonly number[],
): Promise<(ReportRow & { plan_id: number })[]> {
  const res = await pool.query<ReportRow & { plan_id: number }>(
    `SELECT plan_id, name, kind, sense, activity, bound, slack, dual, binding, report_only AS "reportOnly",
            cluster_lp_dual AS "clusterLpDual"
     FROM plan_constraint_report WHERE plan_id = ANY($1::int[]) ORDER BY plan_id, kind, name`,
    [planIds],
  );
  return res.rows;
}

export async function planSummaries(
  pool: Pool,
  planIds: readonly number[],
): Promise<(SummaryRow & { planId: number })[]> {
  const res = await pool.query<SummaryRow & { planId: number }>(
    `SELECT plan_id AS "planId", segment, offer_id AS "offerDbId", channel_id AS "channelDbId",
            contacts, expected_return AS "expectedReturn", cost
     FROM plan_summary WHERE plan_id = ANY($1::int[])`,
    [planIds],
  );
  return res.rows;
}
