// Crash recovery: a RUNNING plan or analysis whose process has stopped beating (db/heartbeat.ts)
// never finishes by itself. Each is put back on the queue when its job can run again (the job's
// lock, held by the dead worker, is released), or marked FAILED with the reason when it cannot
// (no job: a CLI run; or the job has used all its attempts). Every worker and server runs this
// every few seconds; the row locks make concurrent sweeps safe.
import type { Pool, PoolClient } from "pg";
import { DEAD_AFTER_SECONDS, silentRunner } from "../db/heartbeat";
import { inTransaction } from "../db/transaction";

export interface Recovered {
  requeued: string[];
  failed: string[];
}

interface Kind {
  table: "plan" | "analysis";
  /** the job key's prefix (jobs/plan-queue.ts) */
  jobKey: string;
  label: string;
}

const KINDS: Kind[] = [
  { table: "plan", jobKey: "plan:", label: "plan" },
  { table: "analysis", jobKey: "analysis:", label: "analysis" },
];

export async function recoverOrphanedRuns(pool: Pool): Promise<Recovered> {
  const out: Recovered = { requeued: [], failed: [] };
  for (const kind of KINDS) {
    await inTransaction(pool, async (client) => {
      const orphans = await client.query<{
        id: number;
        run_by: string | null;
        job_id: string | null;
        locked_by: string | null;
        attempts: number | null;
        max_attempts: number | null;
      }>(
        `SELECT r.id, r.run_by, j.id AS job_id, j.locked_by, j.attempts, j.max_attempts
         FROM ${kind.table} r
         LEFT JOIN graphile_worker.jobs j ON j.key = $1 || r.id
         WHERE r.status = 'RUNNING'
           AND ${silentRunner("r", "$2")}
         FOR UPDATE OF r SKIP LOCKED`,
        [kind.jobKey, DEAD_AFTER_SECONDS],
      );
      for (const o of orphans.rows) {
        const label = `${kind.label} ${o.id}`;
        if (o.locked_by) {
          await client.query("SELECT graphile_worker.force_unlock_workers($1::text[])", [
            [o.locked_by],
          ]);
        }
        const retry = o.job_id !== null && (o.attempts ?? 0) < (o.max_attempts ?? 0);
        if (retry) {
          await requeue(client, kind, o.id);
          out.requeued.push(label);
        } else {
          const why =
            o.job_id === null
              ? `the process running it (${o.run_by ?? "unknown"}) stopped before it finished`
              : `its worker stopped ${o.attempts} times before it finished`;
          await fail(client, kind, o.id, why);
          out.failed.push(label);
        }
      }
    });
  }
  // rows of processes long gone, once nothing can name them any more
  await pool.query(
    `DELETE FROM runner_process w WHERE w.beat_at < now() - interval '1 day'
       AND NOT EXISTS (SELECT 1 FROM plan p WHERE p.run_by = w.id AND p.status = 'RUNNING')
       AND NOT EXISTS (SELECT 1 FROM analysis a WHERE a.run_by = w.id AND a.status = 'RUNNING')`,
  );
  return out;
}

async function requeue(client: PoolClient, kind: Kind, id: number): Promise<void> {
  await client.query(
    `UPDATE ${kind.table} SET status = 'QUEUED', phase = NULL, progress = 0, run_by = NULL,
            started_at = NULL
     WHERE id = $1`,
    [id],
  );
}

async function fail(client: PoolClient, kind: Kind, id: number, why: string): Promise<void> {
  await client.query(
    `UPDATE ${kind.table} SET status = 'FAILED', error = $2, failed_in_phase = phase, phase = NULL,
            progress = 0, finished_at = now(), run_by = NULL
     WHERE id = $1`,
    [id, why],
  );
  await client.query("SELECT graphile_worker.remove_job($1)", [`${kind.jobKey}${id}`]);
}

/** How often each worker and server sweeps: a crash is then recovered within about 20 s. */
export const RECOVERY_EVERY_MS = 5_000;

/** Sweeps every RECOVERY_EVERY_MS until the returned function is called. */
export function startRecoveryLoop(
  pool: Pool,
  log: { warn: (o: object, m: string) => void; error: (o: object, m: string) => void },
): () => void {
  let running = false;
  const timer = setInterval(() => {
    if (running) return;
    running = true;
    recoverOrphanedRuns(pool)
      .then((r) => {
        if (r.requeued.length || r.failed.length)
          log.warn(r, "recovered runs whose process stopped");
      })
      .catch((e: unknown) => log.error({ err: e }, "recovery sweep failed"))
      .finally(() => (running = false));
  }, RECOVERY_EVERY_MS);
  timer.unref();
  return () => clearInterval(timer);
}
