// The one way the code opens a transaction: one pooled connection, COMMIT when `fn` resolves,
// ROLLBACK when it throws. A connection that cannot even roll back (it died mid-COPY) is
// discarded, not returned to the pool.
import type { Pool, PoolClient } from "pg";

export type IsolationLevel = "READ COMMITTED" | "REPEATABLE READ" | "SERIALIZABLE";

export interface TransactionOptions {
  /** PostgreSQL's default (READ COMMITTED) when absent */
  isolation?: IsolationLevel;
  readOnly?: boolean;
}

/** One snapshot for every read of the transaction, and no writes (the instance loader's). */
export const READ_ONLY_SNAPSHOT: TransactionOptions = {
  isolation: "REPEATABLE READ",
  readOnly: true,
};

// A connection that dies in the transaction (its backend terminated, the network gone) fails the
// query in flight, and pg then emits 'error' on the client as well; the pool listens for that
// only while a client is idle, and an 'error' event without a listener would end the process.
const ignoreConnectionError = (): void => undefined;

function beginStatement({ isolation, readOnly }: TransactionOptions): string {
  return ["BEGIN", isolation && `ISOLATION LEVEL ${isolation}`, readOnly && "READ ONLY"]
    .filter(Boolean)
    .join(" ");
}

export async function inTransaction<T>(
  pool: Pool,
  fn: (client: PoolClient) => Promise<T>,
  opts: TransactionOptions = {},
): Promise<T> {
  const client = await pool.connect();
  client.on("error", ignoreConnectionError);
  let broken = false;
  try {
    await client.query(beginStatement(opts));
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
