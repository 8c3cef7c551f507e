// Crash recovery: a RUNNING plan or analysis whose process has stopped beating (db/heartbeat.ts)
// never finishes by itself. Each is put back on the queue when its job can run again (the job's
// lock, held by the dead worker, is released), or marked FAILED with the reason when it cannot
// (no job: a CLI run; or the job has used all its attempts). Every worker and server runs this
// every few seconds; the row locks make concurrent sweeps safe.
import type { Pool } from "pg";
import {
  deleteGoneRunners,
  failRun,
  lockOrphanedRuns,
  requeueRun,
  unlockWorkerJobs,
  type RunTable,
} from "../db/orphaned-runs";
import { inTransaction } from "../db/transaction";

export interface Recovered {
  requeued: string[];
  failed: string[];
}

interface Kind {
  table: RunTable;
  /** the job key's prefix (jobs/run-queue.ts) */
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
      for (const o of await lockOrphanedRuns(client, kind.table, kind.jobKey)) {
        const label = `${kind.label} ${o.id}`;
        if (o.locked_by) await unlockWorkerJobs(client, o.locked_by);
        const retry = o.job_id !== null && (o.attempts ?? 0) < (o.max_attempts ?? 0);
        if (retry) {
          await requeueRun(client, kind.table, o.id);
          out.requeued.push(label);
        } else {
          const why =
            o.job_id === null
              ? `the process running it (${o.run_by ?? "unknown"}) stopped before it finished`
              : `its worker stopped ${o.attempts} times before it finished`;
          await failRun(client, kind.table, kind.jobKey, o.id, why);
          out.failed.push(label);
        }
      }
    });
  }
  await deleteGoneRunners(pool);
  return out;
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
