// Applies Prisma migrations, then the plan queue's own schema (graphile-worker's migrations,
// schema graphile_worker), so a migrated database is complete for the CLI, API and workers. `prisma migrate deploy` costs ~11 s offline (its WASM engine keeps a
// timer alive), so we first compare the migrations folder with _prisma_migrations ourselves and
// only call Prisma when something is pending.
import { execFile } from "node:child_process";
import { readdirSync } from "node:fs";
import path from "node:path";
import { promisify } from "node:util";
import { Logger, runMigrations } from "graphile-worker";
import { Client, Pool } from "pg";
import { refreshBiRights } from "./bi-roles";
import { inTransaction } from "./transaction";

const run = promisify(execFile);

export const projectRoot = path.resolve(__dirname, "..", "..");
const migrationsDir = path.join(projectRoot, "prisma", "migrations");

export function migrationNames(): string[] {
  return readdirSync(migrationsDir, { withFileTypes: true })
    .filter((d) => d.isDirectory())
    .map((d) => d.name)
    .sort();
}

/** Names of migrations in the folder that the database has not applied yet. */
export async function pendingMigrations(url: string): Promise<string[]> {
  const client = new Client({ connectionString: url });
  await client.connect();
  try {
    const exists = await client.query<{ t: string | null }>(
      "SELECT to_regclass('public._prisma_migrations')::text AS t",
    );
    if (!exists.rows[0]?.t) return migrationNames();
    const applied = await client.query<{ migration_name: string }>(
      "SELECT migration_name FROM _prisma_migrations WHERE finished_at IS NOT NULL AND rolled_back_at IS NULL",
    );
    const done = new Set(applied.rows.map((r) => r.migration_name));
    return migrationNames().filter((n) => !done.has(n));
  } finally {
    await client.end();
  }
}

/**
 * Serialises the starts that revoke the queue functions' rights: a server and its workers start
 * together, and two GRANT/REVOKEs on the same functions at once fail in the catalog ("tuple
 * concurrently updated"). Any fixed key that no other lock in the database uses.
 */
const QUEUE_RIGHTS_LOCK = 0x6f70_7177; // "opqw"

/**
 * Creates or upgrades graphile-worker's schema; a no-op (two queries) when it is current. Its
 * functions are executable by PUBLIC as created: only the application (their owner) calls them,
 * and no other login (a BI role, say) should see them listed. Only functions still executable by
 * PUBLIC are revoked, under a lock, so that concurrent starts neither collide nor rewrite the
 * catalog when nothing is left to do.
 */
export async function migrateQueueSchema(url: string): Promise<void> {
  await runMigrations({ connectionString: url, logger: new Logger(() => () => undefined) });
  const pool = new Pool({ connectionString: url, max: 1 });
  try {
    await inTransaction(pool, async (client) => {
      await client.query("SELECT pg_advisory_xact_lock($1)", [QUEUE_RIGHTS_LOCK]);
      const { rows } = await client.query<{ n: number }>(
        `SELECT count(*)::int AS n FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace
         WHERE n.nspname = 'graphile_worker' AND has_function_privilege('public', p.oid, 'EXECUTE')`,
      );
      if (rows[0]!.n > 0)
        await client.query("REVOKE EXECUTE ON ALL FUNCTIONS IN SCHEMA graphile_worker FROM PUBLIC");
    });
  } finally {
    await pool.end();
  }
}

export interface MigrateOptions {
  force?: boolean;
  /** a line as each pending migration is applied, and while Prisma takes its time to exit */
  onProgress?: (line: string) => void;
}

/** Runs `prisma migrate deploy` against url; returns the migrations it applied. */
export async function migrate(url: string, opts: MigrateOptions = {}): Promise<string[]> {
  const pending = await pendingMigrations(url);
  await migrateQueueSchema(url);
  if (pending.length === 0 && !opts.force) return [];
  const prismaBin = require.resolve("prisma/build/index.js");
  const watch = opts.onProgress ? watchProgress(url, pending, opts.onProgress) : null;
  try {
    await run(process.execPath, [prismaBin, "migrate", "deploy"], {
      cwd: projectRoot,
      env: { ...process.env, DATABASE_URL: url, PRISMA_HIDE_UPDATE_MESSAGE: "1" },
      maxBuffer: 16 * 1024 * 1024,
    });
  } catch (e) {
    const err = e as { stdout?: string; stderr?: string; message: string };
    throw new Error(`migration failed: ${(err.stderr || err.stdout || err.message).trim()}`, {
      cause: e,
    });
  } finally {
    await watch?.stop();
  }
  await refreshBiRoleRights(url);
  return pending;
}

/** A view added by a migration is readable at once by the BI roles made before it. */
async function refreshBiRoleRights(url: string): Promise<void> {
  const client = new Client({ connectionString: url });
  await client.connect();
  try {
    await refreshBiRights(client);
  } finally {
    await client.end();
  }
}

const POLL_MS = 250;

/**
 * Reports each pending migration as `prisma migrate deploy` finishes it. Prisma prints its list
 * only when all are done, and then stays alive ~10 s more (docs/prisma-offline.md), so its own
 * output would leave the whole run silent; instead this reads its bookkeeping table, where each
 * migration gets finished_at as it commits, from a connection of its own.
 */
function watchProgress(
  url: string,
  pending: string[],
  report: (line: string) => void,
): { stop(): Promise<void> } {
  const started = Date.now();
  const seconds = () => `${((Date.now() - started) / 1000).toFixed(1)} s`;
  const reported = new Set<string>();
  const client = new Client({ connectionString: url });
  let stopped = false;
  let timer: NodeJS.Timeout | undefined;
  let polling: Promise<void> = Promise.resolve();

  const poll = async () => {
    const table = await client.query<{ t: string | null }>(
      "SELECT to_regclass('public._prisma_migrations')::text AS t",
    );
    if (!table.rows[0]?.t) return;
    const { rows } = await client.query<{ migration_name: string }>(
      "SELECT migration_name FROM _prisma_migrations WHERE finished_at IS NOT NULL AND rolled_back_at IS NULL",
    );
    const finished = new Set(rows.map((r) => r.migration_name));
    const before = reported.size;
    for (const name of pending) {
      if (!finished.has(name) || reported.has(name)) continue;
      reported.add(name);
      report(`applied migration ${reported.size}/${pending.length}: ${name} (${seconds()})`);
    }
    if (reported.size === pending.length && before < pending.length && !stopped)
      report("all migrations applied; waiting for prisma migrate deploy to exit (~10 s)");
  };
  const schedule = () => {
    if (stopped) return;
    timer = setTimeout(() => {
      polling = poll()
        .catch(() => undefined)
        .finally(schedule);
    }, POLL_MS);
  };

  report(`applying ${pending.length} migration(s)`);
  const connected = client.connect().then(schedule, () => undefined);
  return {
    async stop() {
      stopped = true;
      clearTimeout(timer);
      await connected;
      await polling;
      // Migrations that finished after the last look, so that every one gets its line.
      await poll().catch(() => undefined);
      await client.end().catch(() => undefined);
    },
  };
}
