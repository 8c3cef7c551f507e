// The BI contract: the views and function analysts may read (docs/bi.md), and a read-only login
// role limited to them.
import type { Pool } from "pg";
import { InputError } from "./errors";

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
 * Creates the role (or sets its password) and grants it SELECT on the views and EXECUTE on the
 * function of this database. Views read base tables with their owner's rights, so the role needs
 * no right on any table; a comparison function that reads only views works the same way.
 */
export async function grantBiRole(pool: Pool, role: string, password: string): Promise<void> {
  if (!ROLE_NAME.test(role)) throw new InputError("role", "must be a lower-case SQL identifier");
  if (password.length < 8) throw new InputError("password", "must be at least 8 characters");
  const client = await pool.connect();
  try {
    await client.query("BEGIN");
    const exists = await client.query("SELECT 1 FROM pg_roles WHERE rolname = $1", [role]);
    // Identifiers cannot be bind parameters; the name is checked above and the password quoted.
    const quotedPassword = (
      await client.query<{ q: string }>("SELECT quote_literal($1) AS q", [password])
    ).rows[0]!.q;
    await client.query(
      exists.rowCount
        ? `ALTER ROLE ${role} WITH LOGIN PASSWORD ${quotedPassword}`
        : `CREATE ROLE ${role} WITH LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE PASSWORD ${quotedPassword}`,
    );
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
