// A Prisma client for one piece of command-line work. Kept apart from services/database.ts so
// that a command needing only the pool does not load the client.
import type { Pool } from "pg";
import { createDb, type Db } from "../db/handle";
import { createPrisma, type PrismaClient } from "../db/prisma";

/** Runs `fn` with a fresh client and disconnects it afterwards, also when `fn` throws. */
export async function withPrisma<T>(
  url: string,
  fn: (prisma: PrismaClient) => Promise<T>,
): Promise<T> {
  const prisma = createPrisma(url);
  try {
    return await fn(prisma);
  } finally {
    await prisma.$disconnect();
  }
}

/** Runs `fn` with the Db handle of `database`'s pool and a fresh Prisma client. */
export function withDb<T>(
  database: { url: string; pool: Pool },
  fn: (db: Db) => Promise<T>,
): Promise<T> {
  return withPrisma(database.url, (prisma) => fn(createDb(database.pool, prisma)));
}
