// What the API and the CLI read from stored plans: the plan rows, and the per-plan tables written
// in the plan's transaction (clusters, proportions, summary, constraint report). Assignment pages
// are keyset reads of the plan's own partition of plan_assignment.
import type { Pool } from "pg";
import type { Plan, PlanMethod, PlanStatus, Prisma } from "../generated/prisma/client";
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

// The plan row is read on nearly every request; through the pool it skips Prisma's query
// compiler (a measurable share of a ~5 ms request).
export async function plansByIds(pool: Pool, ids: readonly number[]): Promise<Plan[]> {
  const res = await pool.query<Plan>(
    `SELECT id, version_number AS "versionNumber",
            constraint_set_version_id AS "constraintSetVersionId", status, method, parameters,
            scenario, progress, phase, kpis, timings, error, created_at AS "createdAt",
            started_at AS "startedAt", finished_at AS "finishedAt", requested_by AS "requestedBy",
            membership_plan_id AS "membershipPlanId",
            -- Prisma reads these as bigint; numbers read the same through Number()
            dataset_revision::float8 AS "datasetRevision",
            history_revision::float8 AS "historyRevision", fingerprint, provenance,
            failed_in_phase AS "failedInPhase", replay_of AS "replayOfId",
            requested_by_key_id AS "requestedByKeyId", name, notes, approved_at AS "approvedAt",
            approved_by AS "approvedBy", run_by AS "runBy", base_plan_id AS "basePlanId"
     FROM plan WHERE id = ANY($1::int[])`,
    [ids],
  );
  return res.rows;
}

/** Newest first; `before` is the last id of the previous page. */
export async function listPlans(
  prisma: PrismaClient,
  filter: PlanListFilter,
  before: number | null,
  take: number,
): Promise<{ rows: Plan[]; totalCount: number }> {
  const where: Prisma.PlanWhereInput = {};
  if (filter.status?.length) where.status = { in: filter.status };
  if (filter.method) where.method = filter.method;
  if (filter.constraintSetVersionId !== undefined)
    where.constraintSetVersionId = filter.constraintSetVersionId;
  if (filter.constraintSetId !== undefined)
    where.constraintSetVersion = { constraintSetId: filter.constraintSetId };
  const [rows, totalCount] = await Promise.all([
    prisma.plan.findMany({
      where: before !== null ? { ...where, id: { lt: before } } : where,
      orderBy: { id: "desc" },
      take,
    }),
    prisma.plan.count({ where }),
  ]);
  return { rows, totalCount };
}

export async function planFingerprint(prisma: PrismaClient, id: number): Promise<string | null> {
  return (await prisma.plan.findUniqueOrThrow({ where: { id } })).fingerprint;
}

/** Clusters with an index above `after`, at most `limit`, and how many the plan has. */
export async function planClusters(
  pool: Pool,
  planId: number,
  after: number,
  limit: number,
): Promise<{ rows: PlanCluster[]; totalCount: number }> {
  const [rows, count] = await Promise.all([
    pool.query<PlanCluster>(
      `SELECT cluster_index AS index, segment, size, mean_return AS "meanReturn",
              mean_cost AS "meanCost", centroid
       FROM plan_cluster WHERE plan_id = $1 AND cluster_index > $2
       ORDER BY cluster_index LIMIT $3`,
      [planId, after, limit],
    ),
    pool.query<{ n: number }>("SELECT count(*)::int AS n FROM plan_cluster WHERE plan_id = $1", [
      planId,
    ]),
  ]);
  return { rows: rows.rows, totalCount: count.rows[0]!.n };
}

/** Proportions after the (cluster, offer, channel) key `after`, of one cluster or all. */
export async function planProportions(
  pool: Pool,
  planId: number,
  after: readonly [number, number, number],
  limit: number,
  cluster: number | null,
): Promise<Proportion[]> {
  const params: unknown[] = [planId, after[0], after[1], after[2], limit];
  let extra = "";
  if (cluster != null) {
    params.push(cluster);
    extra = `AND cluster_index = $${params.length}`;
  }
  const rows = await pool.query<Proportion>(
    `SELECT cluster_index AS cluster, offer_id AS "offerDbId", channel_id AS "channelDbId",
            proportion, customers
     FROM plan_proportion
     WHERE plan_id = $1 AND (cluster_index, offer_id, channel_id) > ($2, $3, $4) ${extra}
     ORDER BY cluster_index, offer_id, channel_id LIMIT $5`,
    params,
  );
  return rows.rows;
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

/** Assignments after the (customer, offer) key `after`, in that order. */
export async function assignmentPage(
  pool: Pool,
  planId: number,
  after: readonly [number, number],
  limit: number,
  conditions: AssignmentConditions,
): Promise<Assignment[]> {
  const params: unknown[] = [planId, after[0], after[1], limit];
  const { where, joinCustomer } = assignmentWhere(conditions, params);
  const res = await pool.query<Assignment>(
    `SELECT a.plan_id AS "planId", a.customer_id AS "customerDbId", a.offer_id AS "offerDbId",
            a.channel_id AS "channelDbId", a.expected_return AS "expectedReturn", a.cost,
            upper(a."group") AS "group", a.wave
     FROM plan_assignment a
     ${joinCustomer ? "JOIN customer c ON c.id = a.customer_id" : ""}
     WHERE a.plan_id = $1 AND (a.customer_id, a.offer_id) > ($2, $3)
           ${where.map((w) => `AND ${w}`).join(" ")}
     ORDER BY a.customer_id, a.offer_id LIMIT $4`,
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

/** One customer's assignments, newest plan first; planIds null = every plan. */
export async function customerAssignments(
  pool: Pool,
  customerDbId: number,
  planIds: number[] | null,
  limit: number,
): Promise<Assignment[]> {
  const res = await pool.query<Assignment>(
    `SELECT a.plan_id AS "planId", a.customer_id AS "customerDbId", a.offer_id AS "offerDbId",
            a.channel_id AS "channelDbId", a.expected_return AS "expectedReturn", a.cost,
            upper(a."group") AS "group", a.wave
     FROM plan_assignment a
     WHERE a.customer_id = $1 AND ($2::int[] IS NULL OR a.plan_id = ANY($2::int[]))
     ORDER BY a.plan_id DESC, a.offer_id LIMIT $3`,
    [customerDbId, planIds, limit],
  );
  return res.rows;
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
