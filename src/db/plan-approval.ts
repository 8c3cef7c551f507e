// A plan's approval (when the deployment requires one before its contacts are committed), in the
// caller's transaction: services/plan-admin.ts checks who may approve and audits it.
import type { PoolClient } from "pg";

export interface PlanToApprove {
  status: string;
  /** the API key that ran it; null = the command line */
  requestedByKeyId: number | null;
  approvedAt: Date | null;
}

/** The plan, its row locked for the caller's transaction; null when it does not exist. */
export async function lockPlanForApproval(
  client: PoolClient,
  planId: number,
): Promise<PlanToApprove | null> {
  const { rows } = await client.query<PlanToApprove>(
    `SELECT status, requested_by_key_id AS "requestedByKeyId", approved_at AS "approvedAt"
     FROM plan WHERE id = $1 FOR UPDATE`,
    [planId],
  );
  return rows[0] ?? null;
}

export async function markPlanApproved(
  client: PoolClient,
  planId: number,
  at: Date,
  by: string,
): Promise<void> {
  await client.query("UPDATE plan SET approved_at = $2, approved_by = $3 WHERE id = $1", [
    planId,
    at,
    by,
  ]);
}
