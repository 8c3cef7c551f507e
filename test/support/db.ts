// Each test file gets its own database cloned from the migrated template (milliseconds, where a
// Prisma migrate costs ~11 s).
import { randomBytes } from "node:crypto";
import { Pool } from "pg";
import { adminQuery, databaseUrl } from "../../src/db/admin";

export interface TestDatabase {
  url: string;
  pool: Pool;
  drop(): Promise<void>;
}

export async function createTestDatabase(): Promise<TestDatabase> {
  const server = process.env.OFFERPLAN_TEST_SERVER;
  const template = process.env.OFFERPLAN_TEST_TEMPLATE;
  if (!server || !template) throw new Error("db tests run through the jest 'db' project setup");
  const name = `offerplan_t_${randomBytes(6).toString("hex")}`;
  await adminQuery(server, `CREATE DATABASE ${name} TEMPLATE ${template}`);
  const url = databaseUrl(server, name);
  const pool = new Pool({ connectionString: url, max: 4 });
  return {
    url,
    pool,
    async drop() {
      await pool.end();
      await settle(server, name);
      await adminQuery(server, `DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    },
  };
}

/** How long a test's own disconnects may take to reach the server before the database is dropped. */
const SETTLE_MS = 3_000;

/**
 * Waits until the test's clients have left the database. Prisma's disconnect resolves before its
 * pool's sockets are closed; dropping WITH FORCE in that window terminates an idle client that has
 * no error listener, and the test file fails after its tests passed. Heartbeat threads
 * (db/heartbeat.ts) live as long as the process and are left to the FORCE.
 */
async function settle(server: string, name: string): Promise<void> {
  const until = Date.now() + SETTLE_MS;
  const admin = new Pool({ connectionString: server, max: 1 });
  try {
    while (Date.now() < until) {
      const { rows } = await admin.query<{ n: number }>(
        `SELECT count(*)::int AS n FROM pg_stat_activity
         WHERE datname = $1 AND application_name <> 'offerplan-heartbeat'`,
        [name],
      );
      if (rows[0]!.n === 0) return;
      await new Promise((r) => setTimeout(r, 50));
    }
  } finally {
    await admin.end();
  }
}
