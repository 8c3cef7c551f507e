// One transaction on one pooled connection: COMMIT when `fn` resolves, ROLLBACK when it throws.
// A connection that cannot even roll back (it died mid-COPY) is discarded, not returned to the
// pool.
import type { Pool, PoolClient } from "pg";

// A connection that dies in the transaction (its backend terminated, the network gone) fails the
// query in flight, and pg then emits 'error' on the client as well; the pool listens for that
// only while a client is idle, and an 'error' event without a listener would end the process.
const ignoreConnectionError = (): void => undefined;

export async function inTransaction<T>(
  pool: Pool,
  fn: (client: PoolClient) => Promise<T>,
): Promise<T> {
  const client = await pool.connect();
  client.on("error", ignoreConnectionError);
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
    // a broken client is discarded and may still emit its error: it keeps the listener
    if (!broken) client.removeListener("error", ignoreConnectionError);
    client.release(broken);
  }
}
