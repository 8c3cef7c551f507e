// A Prisma client for one piece of command-line work. Kept apart from services/database.ts so
// that a command needing only the pool does not load the client.
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
