// Runs (plans and analyses) whose process stopped beating, and their graphile-worker jobs: the
// SQL of crash recovery (services/recovery.ts decides what happens to each).
import type { PoolClient } from "pg";
import type { Queryable } from "./handle";
import { DEAD_AFTER_SECONDS, silentRunner } from "./heartbeat";

export type RunTable = "plan" | "analysis";

export interface OrphanedRun {
  id: number;
  run_by: string | null;
  job_id: string | null;
  locked_by: string | null;
  attempts: number | null;
  max_attempts: number | null;
}

/**
 * RUNNING rows of `table` whose process stopped beating, with their job (key `jobKey` + id),
 * locked for the caller's transaction; rows another sweep holds are skipped.
 */
export async function lockOrphanedRuns(
  client: PoolClient,
  table: RunTable,
  jobKey: string,
): Promise<OrphanedRun[]> {
  const { rows } = await client.query<OrphanedRun>(
    `SELECT r.id, r.run_by, j.id AS job_id, j.locked_by, j.attempts, j.max_attempts
     FROM ${table} r
     LEFT JOIN graphile_worker.jobs j ON j.key = $1 || r.id
     WHERE r.status = 'RUNNING'
       AND ${silentRunner("r", "$2")}
     FOR UPDATE OF r SKIP LOCKED`,
    [jobKey, DEAD_AFTER_SECONDS],
  );
  return rows;
}

/** Releases the jobs a dead worker had locked. */
export async function unlockWorkerJobs(client: PoolClient, workerId: string): Promise<void> {
  await client.query("SELECT graphile_worker.force_unlock_workers($1::text[])", [[workerId]]);
}

/** Puts the run back on the queue, as it was before it started. */
export async function requeueRun(client: PoolClient, table: RunTable, id: number): Promise<void> {
  await client.query(
    `UPDATE ${table} SET status = 'QUEUED', phase = NULL, progress = 0, run_by = NULL,
            started_at = NULL
     WHERE id = $1`,
    [id],
  );
}

/** Marks the run FAILED with `why` and removes its job. */
export async function failRun(
  client: PoolClient,
  table: RunTable,
  jobKey: string,
  id: number,
  why: string,
): Promise<void> {
  await client.query(
    `UPDATE ${table} SET status = 'FAILED', error = $2, failed_in_phase = phase, phase = NULL,
            progress = 0, finished_at = now(), run_by = NULL
     WHERE id = $1`,
    [id, why],
  );
  await client.query("SELECT graphile_worker.remove_job($1)", [`${jobKey}${id}`]);
}

/** Rows of processes long gone, once no running plan or analysis names them. */
export async function deleteGoneRunners(db: Queryable): Promise<void> {
  await db.query(
    `DELETE FROM runner_process w WHERE w.beat_at < now() - interval '1 day'
       AND NOT EXISTS (SELECT 1 FROM plan p WHERE p.run_by = w.id AND p.status = 'RUNNING')
       AND NOT EXISTS (SELECT 1 FROM analysis a WHERE a.run_by = w.id AND a.status = 'RUNNING')`,
  );
}
