// Contact history as operations the CLI and the API share: importing a file of past contacts,
// committing a plan (its treatment assignments become contacts on the campaign date) and a summary.
// The natural key and the import's rules are in src/ingest/history.ts.
import { CLI_ACTOR, recordAudit, type Actor } from "../db/audit";
import { approvalRequired } from "./plan-admin";
import type { Pool, PoolClient } from "pg";
import {
  importContactHistory,
  type ContactImportOptions,
  type ContactImportSummary,
} from "../ingest/history";
import {
  contactHistorySummary as historySummary,
  lockPlanForCommit,
  storedPlanCommit,
  writePlanContacts,
  type ContactHistorySummary,
} from "../db/contact-history";
import { inTransaction } from "../db/transaction";
import { ConflictError, NotFoundError } from "./errors";

export type { ContactHistorySummary };

export function importHistory(
  pool: Pool,
  path: string,
  opts: ContactImportOptions = {},
): Promise<ContactImportSummary> {
  return importContactHistory(pool, path, opts);
}

export interface PlanCommitSummary {
  planId: number;
  campaignDate: Date;
  committedAt: Date;
  /** treatment assignments recorded as contacts */
  contacts: number;
  /** of those, contacts that were not in the history yet */
  inserted: number;
  importId: number;
}

/**
 * Records a SUCCEEDED plan's treatment assignments (control is held out, never contacted) as
 * contacts at `campaignDate`, in one transaction and one INSERT … SELECT. A plan is committed at
 * most once: a second commit, or a commit of a plan that has not succeeded, is a ConflictError.
 */
export async function commitPlan(
  pool: Pool,
  planId: number,
  campaignDate: Date,
  opts: { committedBy?: string; actor?: Actor } = {},
): Promise<PlanCommitSummary> {
  if (Number.isNaN(campaignDate.getTime())) throw new Error("campaignDate is not a valid date");
  const started = performance.now();
  return inTransaction(pool, async (client) => {
    await checkCommittable(client, planId);
    const written = await writePlanContacts(
      client,
      planId,
      campaignDate,
      opts.committedBy ?? null,
      started,
    );
    const { contacts, importId } = written;
    await recordAudit(client, {
      actor: opts.actor ?? (opts.committedBy ? { name: opts.committedBy, keyId: null } : CLI_ACTOR),
      action: "plan.commit",
      subjectType: "plan",
      subjectId: planId,
      after: { contacts, campaignDate: campaignDate.toISOString(), importId },
    });
    return {
      planId,
      campaignDate: written.campaignDate,
      committedAt: written.committedAt,
      contacts,
      inserted: written.inserted,
      importId,
    };
  });
}

/** Throws unless the plan can be committed now; locks its row for the rest of the commit. */
async function checkCommittable(client: PoolClient, planId: number): Promise<void> {
  const plan = await lockPlanForCommit(client, planId);
  if (!plan) throw new NotFoundError(`plan ${planId} does not exist`);
  if (plan.status !== "SUCCEEDED")
    throw new ConflictError(
      `plan ${planId} is ${plan.status}; only a SUCCEEDED plan can be committed`,
    );
  if (approvalRequired() && !plan.approvedAt)
    throw new ConflictError(
      `plan ${planId} is not approved: this deployment requires an ADMIN's approval ` +
        "(approvePlan, `plan approve`) before a plan's contacts are committed",
    );
  const done = await storedPlanCommit(client, planId);
  if (done)
    throw new ConflictError(
      `plan ${planId} was already committed at ${done.committedAt.toISOString()}`,
    );
}

/** The plan's commit, or null when it has not been committed. */
export function planCommit(
  pool: Pool,
  planId: number,
): Promise<{ campaignDate: Date; committedAt: Date; contacts: number } | null> {
  return storedPlanCommit(pool, planId);
}

/** One pass over the history (a few seconds at millions of contacts). */
export function contactHistorySummary(pool: Pool): Promise<ContactHistorySummary> {
  return historySummary(pool);
}
