// Deleting a plan's rows: its two partitions (assignments, cluster membership) are dropped, and
// the plan row goes with everything that references it by cascade. Run inside the caller's
// transaction, after the caller has checked that the plan may go.
import type { PoolClient } from "pg";

/** The partitioned tables a plan writes one partition of (db/plan-writer.ts names them). */
const PARTITIONED = ["plan_assignment", "plan_cluster_member"];

export async function deletePlanRows(client: PoolClient, planId: number): Promise<void> {
  if (!Number.isSafeInteger(planId)) throw new Error(`not a plan id: ${planId}`);
  for (const parent of PARTITIONED) await client.query(`DROP TABLE IF EXISTS ${parent}_p${planId}`);
  await client.query("DELETE FROM plan WHERE id = $1", [planId]);
}
