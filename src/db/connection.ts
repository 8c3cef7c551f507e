// Where the database is: DATABASE_URL when set, otherwise the embedded PostgreSQL in ./.offerplan.
import { Pool } from "pg";
import { startEmbedded } from "./embedded";
import { migrate } from "./migrate";

export interface Database {
  url: string;
  pool: Pool;
  embedded: boolean;
  /** applied migrations on open (empty when up to date) */
  migrated: string[];
  close(): Promise<void>;
}

export interface OpenOptions {
  /** apply pending migrations first (default true) */
  migrate?: boolean;
  log?: (msg: string) => void;
  poolSize?: number;
}

export async function openDatabase(opts: OpenOptions = {}): Promise<Database> {
  const fromEnv = process.env.DATABASE_URL;
  const embedded = fromEnv ? null : await startEmbedded({ log: opts.log });
  const url = fromEnv ?? embedded!.url;
  try {
    const migrated = opts.migrate === false ? [] : await migrate(url, { onProgress: opts.log });
    if (migrated.length) opts.log?.(`applied ${migrated.length} migration(s)`);
    const pool = new Pool({ connectionString: url, max: opts.poolSize ?? 4 });
    // A client losing its connection (server restart) must not crash the process. An idle one
    // reports on the pool, which replaces it; a checked-out one reports on itself, and its
    // caller's query fails anyway, so logging is all that is left to do. graphile-worker warns at
    // start about a pool it is given without both handlers.
    const lost = (e: Error) => opts.log?.(`database connection lost: ${e.message}`);
    pool.on("error", lost);
    pool.on("connect", (client) => client.on("error", lost));
    return {
      url,
      pool,
      embedded: embedded !== null,
      migrated,
      async close() {
        await pool.end();
        await embedded?.stop();
      },
    };
  } catch (e) {
    await embedded?.stop();
    throw e;
  }
}
