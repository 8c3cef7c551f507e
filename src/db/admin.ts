// Server-level statements (CREATE / DROP DATABASE) that cannot run inside a pool's transaction,
// shared by the test harness and the benchmarks.
import { Client } from "pg";

/** The same server's URL with another database name. */
export function databaseUrl(serverUrl: string, database: string): string {
  const u = new URL(serverUrl);
  u.pathname = `/${database}`;
  return u.toString();
}

/** Runs statements one after another on a short-lived connection to serverUrl. */
export async function adminQuery(serverUrl: string, ...statements: string[]): Promise<void> {
  const c = new Client({ connectionString: serverUrl });
  await c.connect();
  try {
    for (const sql of statements) await c.query(sql);
  } finally {
    await c.end();
  }
}
