// The rights of a BI login role: read the `bi` schema (its views and functions) and nothing of
// the application's. `bi grant` gives them to a new role; every migration that changes the schema
// gives them again to each role `bi grant` made, so a view added by an upgrade is readable at once.
import type { Client, PoolClient } from "pg";

/** The schema that holds everything a BI role may read. */
export const BI_SCHEMA = "bi";

/**
 * The comment `bi grant` puts on a role it creates. An existing role is changed only when it
 * carries it: otherwise the name may be a person's login or the application's own role, whose
 * password and rights are not ours to touch.
 */
export const BI_ROLE_COMMENT = "offerplan bi grant: read-only login for the BI views";

type Queryable = Pick<Client | PoolClient, "query">;

/** Grants `role` (a checked identifier) what a BI role may do in the current database. */
export async function grantBiRights(client: Queryable, role: string): Promise<void> {
  const db = (await client.query<{ d: string }>("SELECT quote_ident(current_database()) AS d"))
    .rows[0]!.d;
  await client.query(`GRANT CONNECT ON DATABASE ${db} TO ${role}`);
  await client.query(`GRANT USAGE ON SCHEMA ${BI_SCHEMA} TO ${role}`);
  await client.query(`GRANT SELECT ON ALL TABLES IN SCHEMA ${BI_SCHEMA} TO ${role}`);
  await client.query(`GRANT EXECUTE ON ALL FUNCTIONS IN SCHEMA ${BI_SCHEMA} TO ${role}`);
  // unqualified names (`FROM plans`) find the BI schema, and nothing else is on the path
  await client.query(`ALTER ROLE ${role} IN DATABASE ${db} SET search_path = ${BI_SCHEMA}`);
}

/**
 * Roles `bi grant` made for this database: those that already read its BI schema. Roles are
 * shared by every database of the server, and one made for another database must not gain
 * rights here (its next `bi grant` there would refuse it for holding them).
 */
export async function biRoles(client: Queryable): Promise<string[]> {
  const { rows } = await client.query<{ role: string }>(
    `SELECT quote_ident(a.rolname) AS role FROM pg_roles a
     WHERE shobj_description(a.oid, 'pg_authid') = $1
       AND has_schema_privilege(a.oid, $2, 'USAGE')`,
    [BI_ROLE_COMMENT, BI_SCHEMA],
  );
  return rows.map((r) => r.role);
}

/** After a migration: the BI roles read every view of the schema as it is now. */
export async function refreshBiRights(client: Queryable): Promise<void> {
  for (const role of await biRoles(client)) {
    await client.query(`GRANT SELECT ON ALL TABLES IN SCHEMA ${BI_SCHEMA} TO ${role}`);
    await client.query(`GRANT EXECUTE ON ALL FUNCTIONS IN SCHEMA ${BI_SCHEMA} TO ${role}`);
  }
}

/** What decides whether `bi grant` may change an existing role (services/bi.ts). */
export interface BiRoleFacts {
  comment: string | null;
  /** superuser, createdb, createrole, replication or bypassrls */
  powers: boolean;
  /** roles it is a member of */
  memberships: number;
  /**
   * ownerships and grants recorded for it in any database of the server (pg_shdepend), beyond
   * the BI schema's views and functions, the schema itself and CONNECT on this database
   */
  others: number;
}

/** The role's facts from the catalogs, or null when no role has that name. */
export async function biRoleFacts(client: Queryable, role: string): Promise<BiRoleFacts | null> {
  const { rows } = await client.query<BiRoleFacts>(
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
  );
  return rows[0] ?? null;
}

// Identifiers cannot be bind parameters: `role` is a checked identifier (services/bi.ts) and
// literals are quoted by the server.
async function quoteLiteral(client: Queryable, value: string): Promise<string> {
  return (await client.query<{ q: string }>("SELECT quote_literal($1) AS q", [value])).rows[0]!.q;
}

/** Sets the login password of an existing role. */
export async function setBiRolePassword(
  client: Queryable,
  role: string,
  password: string,
): Promise<void> {
  const quoted = await quoteLiteral(client, password);
  await client.query(`ALTER ROLE ${role} WITH LOGIN PASSWORD ${quoted}`);
}

/** Creates a login role with no power of its own, marked as made by `bi grant`. */
export async function createBiRole(
  client: Queryable,
  role: string,
  password: string,
): Promise<void> {
  const quoted = await quoteLiteral(client, password);
  await client.query(
    `CREATE ROLE ${role} WITH LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE PASSWORD ${quoted}`,
  );
  await client.query(`COMMENT ON ROLE ${role} IS ${await quoteLiteral(client, BI_ROLE_COMMENT)}`);
}
