// The BI contract: the views and function analysts may read (docs/bi.md), and a read-only login
// role limited to them.
import type { Pool, PoolClient } from "pg";
import { ConflictError, InputError } from "./errors";

export const BI_VIEWS = [
  "bi_plans",
  "bi_assignments",
  "bi_offer_channel_frequency",
  "bi_channel_profitability",
  "bi_constraint_report",
  "bi_segment_summary",
  "bi_cluster_summary",
  "bi_plan_results",
] as const;
export const BI_FUNCTIONS = ["bi_plan_comparison(integer, integer)"] as const;

const ROLE_NAME = /^[a-z_][a-z0-9_]{0,62}$/;

/**
 * The comment `bi grant` puts on a role it creates. An existing role is changed only when it
 * carries it: otherwise the name may be a person's login or the application's own role, whose
 * password and rights are not ours to touch.
 */
export const BI_ROLE_COMMENT = "offerplan bi grant: read-only login for the BI views";

/**
 * Why `role` is not a role `bi grant` may change, or null when it is one: made by `bi grant`
 * (its comment), no power of its own, in no other role, owning nothing, and granted nothing but
 * the BI views and function, the public schema and CONNECT on this database. A comment anyone
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
                                                WHERE c.relnamespace = 'public'::regnamespace
                                                  AND c.relname = ANY ($2)))
                            OR (d.classid = 'pg_proc'::regclass
                                AND d.objid = ANY ($3::regprocedure[]::oid[]))
                            OR (d.classid = 'pg_namespace'::regclass
                                AND d.objid = 'public'::regnamespace)))))) AS others
       FROM pg_authid a WHERE a.rolname = $1`,
      [role, [...BI_VIEWS], [...BI_FUNCTIONS]],
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
 * SELECT on the views and EXECUTE on the function of this database. Views read base tables with their owner's rights, so the role needs
 * no right on any table; a comparison function that reads only views works the same way.
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
    const db = (await client.query<{ d: string }>("SELECT quote_ident(current_database()) AS d"))
      .rows[0]!.d;
    await client.query(`GRANT CONNECT ON DATABASE ${db} TO ${role}`);
    await client.query(`GRANT USAGE ON SCHEMA public TO ${role}`);
    await client.query(`GRANT SELECT ON ${BI_VIEWS.join(", ")} TO ${role}`);
    for (const f of BI_FUNCTIONS) await client.query(`GRANT EXECUTE ON FUNCTION ${f} TO ${role}`);
    await client.query("COMMIT");
  } catch (e) {
    await client.query("ROLLBACK").catch(() => undefined);
    throw e;
  } finally {
    client.release();
  }
}
