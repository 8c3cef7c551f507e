// The contact history's tables as the history service uses them: a plan's commit (its treatment
// assignments become contacts, recorded as one contact_import and one plan_commit row) and the
// history's summary. The file import's SQL is in src/ingest/history.ts.
import type { PoolClient } from "pg";
import type { Queryable } from "./handle";
import { bumpRevision } from "./revisions";

/** The plan's status and approval, its row locked: a second commit of it waits for the first. */
export async function lockPlanForCommit(
  client: PoolClient,
  planId: number,
): Promise<{ status: string; approvedAt: Date | null } | null> {
  const { rows } = await client.query<{ status: string; approved_at: Date | null }>(
    "SELECT status, approved_at FROM plan WHERE id = $1 FOR UPDATE",
    [planId],
  );
  return rows[0] ? { status: rows[0].status, approvedAt: rows[0].approved_at } : null;
}

export interface StoredPlanCommit {
  campaignDate: Date;
  committedAt: Date;
  contacts: number;
}

/** The plan's commit, or null when it has not been committed. */
export async function storedPlanCommit(
  db: Queryable,
  planId: number,
): Promise<StoredPlanCommit | null> {
  const { rows } = await db.query<{ campaign_date: Date; committed_at: Date; contacts: number }>(
    "SELECT campaign_date, committed_at, contacts FROM plan_commit WHERE plan_id = $1",
    [planId],
  );
  const r = rows[0];
  return r
    ? { campaignDate: r.campaign_date, committedAt: r.committed_at, contacts: r.contacts }
    : null;
}

export interface WrittenPlanContacts extends StoredPlanCommit {
  /** of the contacts, those that were not in the history yet */
  inserted: number;
  importId: number;
}

/**
 * Writes the plan's treatment assignments as contacts at `campaignDate` (one INSERT … SELECT),
 * with the contact_import and plan_commit rows that record it, in the caller's transaction.
 * `started` is when the commit began (performance.now()), for the import's duration.
 */
export async function writePlanContacts(
  client: PoolClient,
  planId: number,
  campaignDate: Date,
  committedBy: string | null,
  started: number,
): Promise<WrittenPlanContacts> {
  await client.query("LOCK TABLE contact_history IN SHARE ROW EXCLUSIVE MODE");
  const treatment = await client.query<{ n: number }>(
    `SELECT count(*)::int AS n FROM plan_assignment WHERE plan_id = $1 AND "group" = 'treatment'`,
    [planId],
  );
  const contacts = treatment.rows[0]!.n;
  const run = await client.query<{ id: number }>(
    `INSERT INTO contact_import (plan_id, rows_read, inserted, unchanged, seconds, imported_by)
     VALUES ($1, $2, 0, 0, 0, $3) RETURNING id`,
    [planId, contacts, committedBy],
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
    [planId, campaignDate, committedBy, contacts, importId],
  );
  const c = commit.rows[0]!;
  return {
    campaignDate: c.campaign_date,
    committedAt: c.committed_at,
    contacts,
    inserted,
    importId,
  };
}

export interface ContactHistorySummary {
  contacts: number;
  customers: number;
  /** the earliest and latest contact; null when the history is empty */
  first: Date | null;
  last: Date | null;
}

/** One pass over the history (a few seconds at millions of contacts). */
export async function contactHistorySummary(db: Queryable): Promise<ContactHistorySummary> {
  const { rows } = await db.query<ContactHistorySummary>(
    `SELECT count(*)::int AS contacts, count(DISTINCT customer_id)::int AS customers,
            min(contacted_at) AS first, max(contacted_at) AS last
     FROM contact_history`,
  );
  return rows[0]!;
}
