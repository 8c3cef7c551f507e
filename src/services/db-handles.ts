// The database handles every service takes: pg's pool for set-based SQL, Prisma for
// row-at-a-time reads and writes, and the Db handle that holds both with the one transaction
// helper (db/handle.ts). The server and the CLI open them once and pass them on; they name the
// types through here, so that neither edge depends on pg or on the generated client.
export type { Pool } from "pg";
export type { PrismaClient } from "../db/prisma";
export { createDb, type Db } from "../db/handle";
export type { TransactionOptions } from "../db/transaction";
