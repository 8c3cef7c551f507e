// The database handle services take: pg's pool for set-based SQL, Prisma for simple row reads
// and writes outside transactions, and `tx`, the one way to run statements in a transaction
// (db/transaction.ts). The server and the CLI make one per process from the handles they open.
import type { Pool, PoolClient } from "pg";
import type { PrismaClient } from "./prisma";
import { inTransaction, type TransactionOptions } from "./transaction";

/** A pool or a client in a transaction: reads that need no transaction of their own take either. */
export type Queryable = Pick<Pool, "query"> | Pick<PoolClient, "query">;

export interface Db {
  pool: Pool;
  prisma: PrismaClient;
  tx<T>(fn: (client: PoolClient) => Promise<T>, opts?: TransactionOptions): Promise<T>;
}

export function createDb(pool: Pool, prisma: PrismaClient): Db {
  return { pool, prisma, tx: (fn, opts) => inTransaction(pool, fn, opts) };
}
