// The rows of a run as it moves through its states: a plan or an analysis, claimed by one
// process (run_by) and written only by that process while it is RUNNING. Claiming and the
// liveness of processes are in db/heartbeat.ts; a plan's successful write is db/plan-writer.ts's,
// an analysis's db/analysis-points.ts's. Every statement here names the runner: a run cancelled or
// taken over by another process is never touched by the one that lost it.
import type { Pool, PoolClient } from "pg";
import { CANCEL_CHANNEL } from "./heartbeat";

/** The tables whose rows are runs; also the kind a run is watched and notified under. */
export type RunTable = "plan" | "analysis";

type Queryable = Pick<Pool, "query"> | Pick<PoolClient, "query">;

/**
 * A QUEUED or RUNNING plan CANCELLED; false when it was neither. The phase it was in is kept as
 * failed_in_phase, and a cancelled plan shows no live progress. The process running it hears of
 * it at commit (db/heartbeat.ts listens), not at its next check.
 */
export async function cancelPlanRun(client: PoolClient, planId: number): Promise<boolean> {
  const updated = await client.query(
    `UPDATE plan SET status = 'CANCELLED', finished_at = now(), failed_in_phase = phase,
                    phase = NULL, progress = 0
     WHERE id = $1 AND status IN ('QUEUED', 'RUNNING')`,
    [planId],
  );
  if (updated.rowCount !== 1) return false;
  await client.query("SELECT pg_notify($1, $2)", [CANCEL_CHANNEL, `plan:${planId}`]);
  return true;
}

/**
 * The phase a running run is in and, when given, its share done (kept to three decimals). Progress
 * never moves back: writes that are not awaited can reach the server out of order.
 */
export async function writeRunProgress(
  db: Queryable,
  table: RunTable,
  id: number,
  runBy: string,
  phase: string,
  fraction: number | null,
): Promise<void> {
  const rounded = fraction === null ? null : Math.round(fraction * 1000) / 1000;
  await db.query(
    `UPDATE ${table} SET phase = $2, progress = COALESCE($3, progress)
     WHERE id = $1 AND status = 'RUNNING' AND run_by = $4 AND progress <= COALESCE($3, progress)`,
    [id, phase, rounded, runBy],
  );
}

/** The run is still RUNNING for this process (not cancelled, not taken over). */
export async function runIsMine(
  db: Queryable,
  table: RunTable,
  id: number,
  runBy: string,
): Promise<boolean> {
  const r = await db.query<{ status: string; run_by: string | null }>(
    `SELECT status, run_by FROM ${table} WHERE id = $1`,
    [id],
  );
  return r.rows[0]?.status === "RUNNING" && r.rows[0].run_by === runBy;
}

/** Back to QUEUED, as if never started (its worker is stopping; the job is retried). */
export async function requeueRun(
  db: Queryable,
  table: RunTable,
  id: number,
  runBy: string,
): Promise<void> {
  await db.query(
    `UPDATE ${table} SET status = 'QUEUED', progress = 0, phase = NULL, started_at = NULL,
            run_by = NULL
     WHERE id = $1 AND status = 'RUNNING' AND run_by = $2`,
    [id, runBy],
  );
}

/** FAILED with the text to show and the phase it failed in. */
export async function failRun(
  db: Queryable,
  table: RunTable,
  id: number,
  runBy: string,
  failure: { error: string; phase: string },
): Promise<void> {
  await db.query(
    `UPDATE ${table} SET status = 'FAILED', error = $3, finished_at = now(), failed_in_phase = $4,
            phase = NULL, progress = 0, run_by = NULL
     WHERE id = $1 AND status = 'RUNNING' AND run_by = $2`,
    [id, runBy, failure.error, failure.phase],
  );
}

/**
 * SUCCEEDED, inside the transaction that wrote the run's results; false when the run is no longer
 * this process's (the caller rolls back).
 */
export async function markRunSucceeded(
  client: PoolClient,
  table: RunTable,
  id: number,
  runBy: string,
): Promise<boolean> {
  const done = await client.query(
    `UPDATE ${table} SET status = 'SUCCEEDED', progress = 1, phase = NULL, finished_at = now(),
            run_by = NULL
     WHERE id = $1 AND status = 'RUNNING' AND run_by = $2`,
    [id, runBy],
  );
  return done.rowCount === 1;
}
