// Per-request context: the caller (from its API key), the database handles and a fresh set of
// DataLoaders, so batching and caching never leak between requests.
import type { Logger } from "pino";
import type { Caller } from "../auth";
import { createDb, type Db, type Pool, type PrismaClient } from "../services/db-handles";
import type { RunChanges } from "../services/run-updates";
import type { Loaders } from "./loaders";
import type { RequestBudget } from "./request-budget";

export interface GraphQLContext {
  caller: Caller;
  pool: Pool;
  prisma: PrismaClient;
  loaders: Loaders;
  log: Logger;
  /** imports read only below this directory (absent = anywhere the server can read) */
  importRoot?: string;
  /** without an import root, refuse imports (a production server) */
  importRootRequired?: boolean;
  /** rows and time this request may still spend */
  budget: RequestBudget;
  /** changes of plans and analyses as they happen (subscriptions) */
  runChanges?: RunChanges;
  /** drops this process's cached API keys (after a revocation) */
  invalidateKeys?: () => void;
}

/** The request's database handles as the one Db handle services take. */
export function dbOf(ctx: GraphQLContext): Db {
  return createDb(ctx.pool, ctx.prisma);
}
