// The BI contract: the views and function analysts may read (docs/bi.md), and a read-only login
// role limited to them.
import type { Pool } from "pg";
import {
  BI_ROLE_COMMENT,
  BI_SCHEMA,
  biRoleFacts,
  createBiRole,
  grantBiRights,
  setBiRolePassword,
  type BiRoleFacts,
} from "../db/bi-roles";
import { inTransaction } from "../db/transaction";
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
 * the BI schema's views and functions, the schema itself and CONNECT on this database. A comment
 * anyone can set proves little alone; the rest is read from the catalogs (db/bi-roles.ts),
 * pg_shdepend included, which records ownerships and grants in every database of the server.
 */
function notABiRole(r: BiRoleFacts): string | null {
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
  await inTransaction(pool, async (client) => {
    const facts = await biRoleFacts(client, role);
    if (facts) {
      const why = notABiRole(facts);
      if (why)
        throw new ConflictError(
          `role ${role} exists and ${why}; bi grant changes only a role it created that has ` +
            "nothing but the BI rights, so it changed nothing: choose another --role",
        );
      await setBiRolePassword(client, role, password);
    } else await createBiRole(client, role, password);
    await grantBiRights(client, role);
  });
}
