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
