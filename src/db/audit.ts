// The audit trail: one row per administrative action, written in the transaction of the action
// itself, so an action that rolls back leaves no audit row and one that commits always has one.
// The transaction is db/transaction.ts's: a pg client inside it.
import type { ClientBase } from "pg";
import type { KeysetPage } from "../domain/keyset";
import { keysetSql } from "./keyset";

/** Who acted: an API key (its name and id) or the command line. */
export interface Actor {
  name: string;
  keyId: number | null;
}

export const CLI_ACTOR: Actor = { name: "cli", keyId: null };

export interface AuditEvent {
  actor: Actor;
  /** `<subject type>.<verb>`, e.g. api_key.revoke */
  action: string;
  subjectType: string;
  subjectId: string | number;
  /** the object before and after the action (null: it did not exist / no longer exists) */
  before?: Record<string, unknown> | null;
  after?: Record<string, unknown> | null;
}

export type AuditTx = Pick<ClientBase, "query">;

const INSERT = `INSERT INTO audit_event (actor, actor_key_id, action, subject_type, subject_id, before, after)
  VALUES ($1, $2, $3, $4, $5, $6::jsonb, $7::jsonb)`;

export async function recordAudit(tx: AuditTx, event: AuditEvent): Promise<void> {
  const params = [
    event.actor.name,
    event.actor.keyId,
    event.action,
    event.subjectType,
    String(event.subjectId),
    event.before == null ? null : JSON.stringify(event.before),
    event.after == null ? null : JSON.stringify(event.after),
  ];
  await tx.query(INSERT, params);
}

export interface StoredAuditEvent {
  id: number;
  at: Date;
  actor: string;
  action: string;
  subjectType: string;
  subjectId: string;
  before: Record<string, unknown> | null;
  after: Record<string, unknown> | null;
}

/** Newest first; `before` pages on (the last id seen). */
export async function listAuditEvents(
  pool: { query: ClientBase["query"] },
  filter: { subjectType?: string; subjectId?: string; before?: number; first: number },
): Promise<StoredAuditEvent[]> {
  const { rows } = await pool.query<StoredAuditEvent>(
    `SELECT id, at, actor, action, subject_type AS "subjectType", subject_id AS "subjectId",
            before, after
     FROM audit_event
     WHERE ($1::text IS NULL OR subject_type = $1) AND ($2::text IS NULL OR subject_id = $2)
       AND ($3::bigint IS NULL OR id < $3)
     ORDER BY id DESC LIMIT $4`,
    [filter.subjectType ?? null, filter.subjectId ?? null, filter.before ?? null, filter.first],
  );
  return rows.map((r) => ({ ...r, id: Number(r.id) }));
}

/** A keyset page of the trail, newest first, and how many events match the filter. */
export async function auditEventPage(
  pool: { query: ClientBase["query"] },
  filter: { subjectType?: string; subjectId?: string },
  page: KeysetPage,
): Promise<{ rows: StoredAuditEvent[]; totalCount: number }> {
  const only = "($1::text IS NULL OR subject_type = $1) AND ($2::text IS NULL OR subject_id = $2)";
  const filterParams = [filter.subjectType ?? null, filter.subjectId ?? null];
  const params: unknown[] = [...filterParams];
  const ks = keysetSql(["id"], true, page, params);
  const [rows, count] = await Promise.all([
    pool.query<StoredAuditEvent>(
      `SELECT id, at, actor, action, subject_type AS "subjectType", subject_id AS "subjectId",
              before, after
       FROM audit_event WHERE ${only} AND ${ks.where}
       ORDER BY ${ks.orderBy} LIMIT $${params.length}`,
      params,
    ),
    pool.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM audit_event WHERE ${only}`,
      filterParams,
    ),
  ]);
  return { rows: rows.rows.map((r) => ({ ...r, id: Number(r.id) })), totalCount: count.rows[0]!.n };
}
