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
      await adminQuery(server, `DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    },
  };
}
