// The queue of runs (plans and analyses) is graphile-worker's, in the same PostgreSQL: a run's
// row and its job are created in one transaction, so there is never a queued run without a job or
// a job without a run. One job per run, keyed "plan:<id>" or "analysis:<id>".
import { Logger } from "graphile-worker";
import type { Logger as Pino } from "pino";
import type { PoolClient } from "pg";
import type { PrismaClient } from "../db/prisma";

export const RUN_PLAN_TASK = "run-plan";
export const RUN_ANALYSIS_TASK = "run-analysis";
/** a run interrupted by a shutdown goes back on the queue; after this many tries it fails */
export const MAX_ATTEMPTS = 5;

export interface RunPlanPayload {
  planId: number;
}
export interface RunAnalysisPayload {
  analysisId: number;
}

/** The run's own transaction: its row and its job commit together. */
type SqlRunner = Pick<PoolClient, "query">;

const jobKey = (planId: number) => `plan:${planId}`;

export async function enqueuePlanJob(tx: SqlRunner, planId: number): Promise<void> {
  await tx.query(
    `SELECT 1 FROM graphile_worker.add_job(
       $1, json_build_object('planId', $2::int), max_attempts := $3::int, job_key := $4)`,
    [RUN_PLAN_TASK, planId, MAX_ATTEMPTS, jobKey(planId)],
  );
}

export async function enqueueAnalysisJob(tx: SqlRunner, analysisId: number): Promise<void> {
  await tx.query(
    `SELECT 1 FROM graphile_worker.add_job(
       $1, json_build_object('analysisId', $2::int), max_attempts := $3::int, job_key := $4)`,
    [RUN_ANALYSIS_TASK, analysisId, MAX_ATTEMPTS, `analysis:${analysisId}`],
  );
}

/** Drops a plan's job unless a worker holds it (that worker then sees the plan cancelled). */
export async function removePlanJob(prisma: PrismaClient, planId: number): Promise<void> {
  await prisma.$executeRaw`SELECT 1 FROM graphile_worker.remove_job(${jobKey(planId)})`;
}

/** graphile-worker's messages into our structured log (or nowhere). */
export function queueLogger(log?: Pino): Logger {
  return new Logger((scope) => (level: string, message: string) => {
    if (!log) return;
    const child = log.child({ queue: scope.label ?? "worker", jobId: scope.jobId });
    if (level === "error") child.error(message);
    else if (level === "warning") child.warn(message);
    else if (level === "info") child.info(message);
    else child.debug(message);
  });
}
