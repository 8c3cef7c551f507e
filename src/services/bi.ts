// The BI contract: the views and function analysts may read (docs/bi.md), and a read-only login
// role limited to them.
import type { Pool, PoolClient } from "pg";
import { BI_ROLE_COMMENT, BI_SCHEMA, grantBiRights } from "../db/bi-roles";
import { ConflictError, InputError } from "./errors";

export { BI_ROLE_COMMENT, BI_SCHEMA };

/** The views of the `bi` schema (docs/bi.md): facts, then dimensions. */
export const BI_VIEWS = [
  "plans",
  "assignments",
  "offer_channel_frequency",
  "channel_profitability",
  "constraint_report",
  "segment_summary",
  "cluster_summary",
  "plan_results",
  "audit_events",
  "offers",
  "channels",
  "segments",
  "customers",
  "customer_attributes",
  "constraint_set_versions",
  "waves",
] as const;
export const BI_FUNCTIONS = [
  "plan_comparison(integer, integer)",
  "wilson_interval(integer, integer)",
  "uplift_interval(integer, integer, integer, integer)",
] as const;

const ROLE_NAME = /^[a-z_][a-z0-9_]{0,62}$/;

/**
 * Why `role` is not a role `bi grant` may change, or null when it is one: made by `bi grant`
 * (its comment), no power of its own, in no other role, owning nothing, and granted nothing but
 * the BI schema's views and functions, the schema itself and CONNECT on this database. A comment anyone
 * can set proves little alone; the rest is read from the catalogs, pg_shdepend included, which
 * records ownerships and grants in every database of the server.
 */
async function notABiRole(client: PoolClient, role: string): Promise<string | null> {
  const r = (
    await client.query<{
      comment: string | null;
      powers: boolean;
      memberships: number;
      others: number;
    }>(
      `SELECT shobj_description(a.oid, 'pg_authid') AS comment,
              (a.rolsuper OR a.rolcreatedb OR a.rolcreaterole OR a.rolreplication
               OR a.rolbypassrls) AS powers,
              (SELECT count(*)::int FROM pg_auth_members m WHERE m.member = a.oid) AS memberships,
              (SELECT count(*)::int FROM pg_shdepend d
               WHERE d.refclassid = 'pg_authid'::regclass AND d.refobjid = a.oid
                 AND NOT (d.deptype = 'a' AND (
                   (d.dbid = 0 AND d.classid = 'pg_database'::regclass
                    AND d.objid = (SELECT oid FROM pg_database WHERE datname = current_database()))
                   OR (d.dbid = (SELECT oid FROM pg_database WHERE datname = current_database())
                       AND ((d.classid = 'pg_class'::regclass
                             AND d.objid = ANY (SELECT c.oid FROM pg_class c
                                                WHERE c.relnamespace = $2::regnamespace))
                            OR (d.classid = 'pg_proc'::regclass
                                AND d.objid = ANY (SELECT p.oid FROM pg_proc p
                                                   WHERE p.pronamespace = $2::regnamespace))
                            OR (d.classid = 'pg_namespace'::regclass
                                AND d.objid = $2::regnamespace)))))) AS others
      FROM pg_authid a WHERE a.rolname = $1`,
      [role, BI_SCHEMA],
    )
  ).rows[0];
  if (!r) return null;
  if (r.comment !== BI_ROLE_COMMENT) return "was not created by bi grant";
  if (r.powers) return "has powers beyond reading (superuser, createdb, createrole, …)";
  if (r.memberships > 0) return "is a member of other roles";
  if (r.others > 0) return "owns objects or holds rights beyond the BI views";
  return null;
}

/**
 * Creates the role (or sets the password of one it created before, see notABiRole) and grants it
 * the BI schema of this database (db/bi-roles.ts). Views read base tables with their owner's
 * rights, so the role needs no right on any table; the functions read only views.
 */
export async function grantBiRole(pool: Pool, role: string, password: string): Promise<void> {
  if (!ROLE_NAME.test(role)) throw new InputError("role", "must be a lower-case SQL identifier");
  if (password.length < 8) throw new InputError("password", "must be at least 8 characters");
  const client = await pool.connect();
  try {
    await client.query("BEGIN");
    const exists = await client.query("SELECT 1 FROM pg_roles WHERE rolname = $1", [role]);
    if (exists.rowCount) {
      const why = await notABiRole(client, role);
      if (why)
        throw new ConflictError(
          `role ${role} exists and ${why}; bi grant changes only a role it created that has ` +
            "nothing but the BI rights, so it changed nothing: choose another --role",
        );
    }
    // Identifiers cannot be bind parameters; the name is checked above and the password quoted.
    const quotedPassword = (
      await client.query<{ q: string }>("SELECT quote_literal($1) AS q", [password])
    ).rows[0]!.q;
    if (exists.rowCount)
      await client.query(`ALTER ROLE ${role} WITH LOGIN PASSWORD ${quotedPassword}`);
    else {
      await client.query(
        `CREATE ROLE ${role} WITH LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE PASSWORD ${quotedPassword}`,
      );
      const comment = (
        await client.query<{ q: string }>("SELECT quote_literal($1) AS q", [BI_ROLE_COMMENT])
      ).rows[0]!.q;
      await client.query(`COMMENT ON ROLE ${role} IS ${comment}`);
    }
    await grantBiRights(client, role);
    await client.query("COMMIT");
  } catch (e) {
    await client.query("ROLLBACK").catch(() => undefined);
    throw e;
  } finally {
    client.release();
  }
}
