// What an admin does with a finished plan: approve it (when the deployment requires approval
// before a plan's contacts are committed) and delete it. Both are in the audit trail.
import type { Pool } from "pg";
import { recordAudit, type Actor } from "../db/audit";
import type { Db } from "../db/handle";
import { lockPlanForApproval, markPlanApproved } from "../db/plan-approval";
import { deletePlanRows, lockPlanForDelete } from "../db/plan-delete";
import type { PrismaClient } from "../db/prisma";
import type { Plan } from "../generated/prisma/client";
import { inTransaction } from "../db/transaction";
import { storedKpis } from "../domain/stored-kpis";
import { ConflictError, NotFoundError } from "./errors";

/**
 * Set (to "true" or "1") when a SUCCEEDED plan must be approved by an ADMIN other than the one
 * who ran it before its contacts can be committed.
 */
export function approvalRequired(): boolean {
  const v = process.env.OFFERPLAN_REQUIRE_APPROVAL;
  return v === "true" || v === "1";
}

/** Who ran or approves: an API key, or the command line (which is one identity). */
const identity = (keyId: number | null) => (keyId === null ? "the command line" : `key ${keyId}`);

export async function approvePlan(db: Db, planId: number, actor: Actor): Promise<Plan> {
  await db.tx(async (client) => {
    const plan = await lockPlanForApproval(client, planId);
    if (!plan) throw new NotFoundError(`plan ${planId} does not exist`);
    if (plan.status !== "SUCCEEDED")
      throw new ConflictError(
        `plan ${planId} is ${plan.status}; only a SUCCEEDED plan can be approved`,
      );
    if (plan.approvedAt)
      throw new ConflictError(
        `plan ${planId} was already approved at ${plan.approvedAt.toISOString()}`,
      );
    if (plan.requestedByKeyId === actor.keyId)
      throw new ConflictError(
        `plan ${planId} was run by ${identity(actor.keyId)}; another ADMIN must approve it`,
      );
    await markPlanApproved(client, planId, new Date(), actor.name);
    await recordAudit(client, {
      actor,
      action: "plan.approve",
      subjectType: "plan",
      subjectId: planId,
    });
  });
  // the plan as the API and the CLI read it, once the approval is visible
  return db.prisma.plan.findUniqueOrThrow({ where: { id: planId } });
}

/**
 * Deletes a finished plan with its rows and partitions; the audit trail keeps what it was. A
 * committed plan stays (its contacts are in the history, which points at it), as do a plan still
 * queued or running (cancel it first) and one another plan or a calibration was built from.
 */
export async function deletePlan(pool: Pool, planId: number, actor: Actor): Promise<void> {
  await inTransaction(pool, async (client) => {
    const p = await lockPlanForDelete(client, planId);
    if (!p) throw new NotFoundError(`plan ${planId} does not exist`);
    if (p.committedAt)
      throw new ConflictError(
        `plan ${planId} was committed to the contact history at ${p.committedAt.toISOString()}; a committed plan is kept`,
      );
    if (p.status === "QUEUED" || p.status === "RUNNING")
      throw new ConflictError(`plan ${planId} is ${p.status}; cancel it before deleting it`);
    if (p.dependants > 0)
      throw new ConflictError(
        `plan ${planId} is the source of another plan's clusters or of a score calibration; it is kept`,
      );
    await deletePlanRows(client, planId);
    await recordAudit(client, {
      actor,
      action: "plan.delete",
      subjectType: "plan",
      subjectId: planId,
      before: {
        status: p.status,
        name: p.name,
        method: p.method,
        fingerprint: p.fingerprint,
        constraintSetVersionId: p.constraintSetVersionId,
      },
    });
  });
}

export interface PlanListItem {
  id: number;
  name: string | null;
  /** "run 3 of Q1 retention v2": plans are runs of a set's version */
  run: string;
  status: string;
  method: string;
  expectedReturn: number | null;
  approved: boolean;
  createdAt: Date;
}

/** The newest plans, for a list on the command line. */
export async function listPlans(prisma: PrismaClient, first: number): Promise<PlanListItem[]> {
  const rows = await prisma.plan.findMany({
    orderBy: { id: "desc" },
    take: first,
    include: { constraintSetVersion: { include: { constraintSet: true } } },
  });
  return rows.map((p) => ({
    id: p.id,
    name: p.name,
    run: `run ${p.versionNumber} of ${p.constraintSetVersion.constraintSet.name} v${p.constraintSetVersion.version}`,
    status: p.status,
    method: p.method,
    expectedReturn: storedKpis(p.kpis).expectedReturn ?? null,
    approved: p.approvedAt !== null,
    createdAt: p.createdAt,
  }));
}
