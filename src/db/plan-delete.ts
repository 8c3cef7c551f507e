// Deleting a plan's rows: its two partitions (assignments, cluster membership) are dropped, and
// the plan row goes with everything that references it by cascade. Run inside the caller's
// transaction, after the caller has checked (with lockPlanForDelete) that the plan may go.
import type { PoolClient } from "pg";

/** The partitioned tables a plan writes one partition of (db/plan-writer.ts names them). */
const PARTITIONED = ["plan_assignment", "plan_cluster_member"];

export async function deletePlanRows(client: PoolClient, planId: number): Promise<void> {
  if (!Number.isSafeInteger(planId)) throw new Error(`not a plan id: ${planId}`);
  for (const parent of PARTITIONED) await client.query(`DROP TABLE IF EXISTS ${parent}_p${planId}`);
  await client.query("DELETE FROM plan WHERE id = $1", [planId]);
}

/** What decides whether a plan may be deleted, and what the audit trail keeps of it. */
export interface PlanToDelete {
  status: string;
  name: string | null;
  method: string;
  fingerprint: string | null;
  constraintSetVersionId: number;
  /** null when its contacts were never committed */
  committedAt: Date | null;
  /** other plans built from its clusters, and calibrations learnt from it */
  dependants: number;
}

/** The plan, its row locked for the caller's transaction; null when it does not exist. */
export async function lockPlanForDelete(
  client: PoolClient,
  planId: number,
): Promise<PlanToDelete | null> {
  const { rows } = await client.query<PlanToDelete>(
    `SELECT p.status, p.name, p.method, p.fingerprint,
            p.constraint_set_version_id AS "constraintSetVersionId",
            c.committed_at AS "committedAt",
            (SELECT count(*)::int FROM plan o WHERE o.membership_plan_id = p.id AND o.id <> p.id)
            + (SELECT count(*)::int FROM score_calibration s WHERE s.source_plan_id = p.id)
              AS dependants
     FROM plan p LEFT JOIN plan_commit c ON c.plan_id = p.id
     WHERE p.id = $1 FOR UPDATE OF p`,
    [planId],
  );
  return rows[0] ?? null;
}
