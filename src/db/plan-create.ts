// The statements of a plan's creation, all run in its one transaction (services/plans.ts):
// numbering within the constraint set, the what-if's base, and the QUEUED row itself.
import type { PoolClient } from "pg";
import type { Plan, PlanMethod } from "../generated/prisma/client";
import { PLAN_COLUMNS } from "./plan-reads";

/** Serialises numbering among plans of one constraint set, until the transaction ends. */
export async function lockConstraintSetForNumbering(
  client: PoolClient,
  constraintSetId: number,
): Promise<void> {
  await client.query("SELECT id FROM constraint_set WHERE id = $1 FOR UPDATE", [constraintSetId]);
}

/** The highest plan number of the constraint set so far; 0 before its first plan. */
export async function lastPlanNumber(client: PoolClient, constraintSetId: number): Promise<number> {
  const { rows } = await client.query<{ n: number | null }>(
    `SELECT max(p.version_number) AS n FROM plan p
     JOIN constraint_set_version v ON v.id = p.constraint_set_version_id
     WHERE v.constraint_set_id = $1`,
    [constraintSetId],
  );
  return rows[0]?.n ?? 0;
}

/** The newest SUCCEEDED plain (not what-if) plan of a constraint-set version, if any. */
export async function newestPlainSucceeded(
  client: PoolClient,
  versionId: number,
): Promise<number | null> {
  const { rows } = await client.query<{ id: number }>(
    `SELECT id FROM plan
     WHERE constraint_set_version_id = $1 AND status = 'SUCCEEDED' AND NOT scenario
     ORDER BY id DESC LIMIT 1`,
    [versionId],
  );
  return rows[0]?.id ?? null;
}

/** The constraint-set version a plan ran; undefined when there is no such plan. */
export async function versionOfPlan(
  client: PoolClient,
  planId: number,
): Promise<number | undefined> {
  const { rows } = await client.query<{ versionId: number }>(
    `SELECT constraint_set_version_id AS "versionId" FROM plan WHERE id = $1`,
    [planId],
  );
  return rows[0]?.versionId;
}

export interface NewPlan {
  constraintSetVersionId: number;
  basePlanId: number | null;
  versionNumber: number;
  method: PlanMethod;
  /** stored as JSON: everything needed to rerun it */
  parameters: unknown;
  scenario: boolean;
  requestedBy?: string;
  requestedByKeyId: number | null;
  name?: string;
  notes?: string;
  replayOfId?: number;
}

/** The QUEUED row, as the API and the CLI read plans. */
export async function insertPlan(client: PoolClient, p: NewPlan): Promise<Plan> {
  const { rows } = await client.query<Plan>(
    `INSERT INTO plan (constraint_set_version_id, base_plan_id, version_number, method, parameters,
                       scenario, requested_by, requested_by_key_id, name, notes, replay_of)
     VALUES ($1, $2, $3, $4, $5::jsonb, $6, $7, $8, $9, $10, $11)
     RETURNING ${PLAN_COLUMNS}`,
    [
      p.constraintSetVersionId,
      p.basePlanId,
      p.versionNumber,
      p.method,
      JSON.stringify(p.parameters),
      p.scenario,
      p.requestedBy ?? null,
      p.requestedByKeyId,
      p.name ?? null,
      p.notes ?? null,
      p.replayOfId ?? null,
    ],
  );
  return rows[0]!;
}
