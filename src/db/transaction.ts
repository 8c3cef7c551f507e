// One transaction on one pooled connection: COMMIT when `fn` resolves, ROLLBACK when it throws.
// A connection that cannot even roll back (it died mid-COPY) is discarded, not returned to the
// pool.
import type { Pool, PoolClient } from "pg";

export async function inTransaction<T>(
  pool: Pool,
  fn: (client: PoolClient) => Promise<T>,
): Promise<T> {
  const client = await pool.connect();
  let broken = false;
  try {
    await client.query("BEGIN");
    const result = await fn(client);
    await client.query("COMMIT");
    return result;
  } catch (e) {
    try {
      await client.query("ROLLBACK");
    } catch {
      broken = true;
    }
    throw e;
  } finally {
    client.release(broken);
  }
}
