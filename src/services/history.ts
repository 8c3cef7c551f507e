// Contact history as operations the CLI and the API share: importing a file of past contacts,
// committing a plan (its treatment assignments become contacts on the campaign date) and a summary.
// The natural key and the import's rules are in src/ingest/history.ts.
import { CLI_ACTOR, recordAudit, type Actor } from "../db/audit";
import { approvalRequired } from "./plan-admin";
import type { Pool } from "pg";
import {
  importContactHistory,
  type ContactImportOptions,
  type ContactImportSummary,
} from "../ingest/history";
import { bumpRevision } from "../db/revisions";
import { ConflictError, NotFoundError } from "./errors";

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
  const client = await pool.connect();
  try {
    await client.query("BEGIN");
    // the plan row's lock orders two commits of the same plan: the second sees the first's row
    const plan = await client.query<{ status: string; approved_at: Date | null }>(
      "SELECT status, approved_at FROM plan WHERE id = $1 FOR UPDATE",
      [planId],
    );
    if (!plan.rows[0]) throw new NotFoundError(`plan ${planId} does not exist`);
    if (plan.rows[0].status !== "SUCCEEDED")
      throw new ConflictError(
        `plan ${planId} is ${plan.rows[0].status}; only a SUCCEEDED plan can be committed`,
      );
    if (approvalRequired() && !plan.rows[0].approved_at)
      throw new ConflictError(
        `plan ${planId} is not approved: this deployment requires an ADMIN's approval ` +
          "(approvePlan, `plan approve`) before a plan's contacts are committed",
      );
    const done = await client.query<{ committed_at: Date }>(
      "SELECT committed_at FROM plan_commit WHERE plan_id = $1",
      [planId],
    );
    if (done.rows[0])
      throw new ConflictError(
        `plan ${planId} was already committed at ${done.rows[0].committed_at.toISOString()}`,
      );
    await client.query("LOCK TABLE contact_history IN SHARE ROW EXCLUSIVE MODE");
    const treatment = await client.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM plan_assignment WHERE plan_id = $1 AND "group" = 'treatment'`,
      [planId],
    );
    const contacts = treatment.rows[0]!.n;
    const run = await client.query<{ id: number }>(
      `INSERT INTO contact_import (plan_id, rows_read, inserted, unchanged, seconds, imported_by)
       VALUES ($1, $2, 0, 0, 0, $3) RETURNING id`,
      [planId, contacts, opts.committedBy ?? null],
    );
    const importId = run.rows[0]!.id;
    const written = await client.query(
      `INSERT INTO contact_history (customer_id, offer_id, channel_id, contacted_at, import_id)
       SELECT customer_id, offer_id, channel_id, $2, $3
       FROM plan_assignment WHERE plan_id = $1 AND "group" = 'treatment'
       ON CONFLICT DO NOTHING`,
      [planId, campaignDate, importId],
    );
    const inserted = written.rowCount ?? 0;
    if (inserted > 0) await bumpRevision(client, "history");
    await client.query(
      `UPDATE contact_import SET inserted = $2, unchanged = $3, seconds = $4,
              imported_at = clock_timestamp() WHERE id = $1`,
      [importId, inserted, contacts - inserted, (performance.now() - started) / 1000],
    );
    const commit = await client.query<{ committed_at: Date; campaign_date: Date }>(
      `INSERT INTO plan_commit (plan_id, campaign_date, committed_by, contacts, import_id)
       VALUES ($1, $2, $3, $4, $5) RETURNING committed_at, campaign_date`,
      [planId, campaignDate, opts.committedBy ?? null, contacts, importId],
    );
    await recordAudit(client, {
      actor: opts.actor ?? (opts.committedBy ? { name: opts.committedBy, keyId: null } : CLI_ACTOR),
      action: "plan.commit",
      subjectType: "plan",
      subjectId: planId,
      after: { contacts, campaignDate: campaignDate.toISOString(), importId },
    });
    await client.query("COMMIT");
    return {
      planId,
      campaignDate: commit.rows[0]!.campaign_date,
      committedAt: commit.rows[0]!.committed_at,
      contacts,
      inserted,
      importId,
    };
  } catch (e) {
    await client.query("ROLLBACK").catch(() => undefined);
    throw e;
  } finally {
    client.release();
  }
}

/** The plan's commit, or null when it has not been committed. */
export async function planCommit(
  pool: Pool,
  planId: number,
): Promise<{ campaignDate: Date; committedAt: Date; contacts: number } | null> {
  const { rows } = await pool.query<{ campaign_date: Date; committed_at: Date; contacts: number }>(
    "SELECT campaign_date, committed_at, contacts FROM plan_commit WHERE plan_id = $1",
    [planId],
  );
  const r = rows[0];
  return r
    ? { campaignDate: r.campaign_date, committedAt: r.committed_at, contacts: r.contacts }
    : null;
}

export interface ContactHistorySummary {
  contacts: number;
  customers: number;
  /** the earliest and latest contact; null when the history is empty */
  first: Date | null;
  last: Date | null;
}

/** One pass over the history (a few seconds at millions of contacts). */
export async function contactHistorySummary(pool: Pool): Promise<ContactHistorySummary> {
  const { rows } = await pool.query<ContactHistorySummary>(
    `SELECT count(*)::int AS contacts, count(DISTINCT customer_id)::int AS customers,
            min(contacted_at) AS first, max(contacted_at) AS last
     FROM contact_history`,
  );
  return rows[0]!;
}
