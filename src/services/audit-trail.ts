// The audit trail as admins read it (GraphQL auditEvents, CLI `audit list`, BI bi.audit_events).
import type { Pool } from "pg";
import { listAuditEvents, type StoredAuditEvent } from "../db/audit";
export { auditEventPage } from "../db/audit";
import { InputError } from "./errors";

/** A page of the trail is at most this long: enough for a screen, never the whole history. */
export const MAX_AUDIT_PAGE = 500;

export type AuditEventRecord = StoredAuditEvent;

export async function auditEvents(
  pool: Pool,
  filter: { subjectType?: string; subjectId?: string; before?: number; first?: number },
): Promise<AuditEventRecord[]> {
  const first = filter.first ?? 50;
  if (!Number.isSafeInteger(first) || first < 1 || first > MAX_AUDIT_PAGE)
    throw new InputError("first", `must be a whole number from 1 to ${MAX_AUDIT_PAGE}`);
  return listAuditEvents(pool, { ...filter, first });
}
