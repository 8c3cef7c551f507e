// Applies Prisma migrations, then the plan queue's own schema (graphile-worker's migrations,
// schema graphile_worker), so a migrated database is complete for the CLI, API and workers. `prisma migrate deploy` costs ~11 s offline (its WASM engine keeps a
// timer alive), so we first compare the migrations folder with _prisma_migrations ourselves and
// only call Prisma when something is pending.
import { execFile } from "node:child_process";
import { readdirSync } from "node:fs";
import path from "node:path";
import { promisify } from "node:util";
import { Logger, runMigrations } from "graphile-worker";
import { Client } from "pg";

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

/** Creates or upgrades graphile-worker's schema; a no-op (one query) when it is current. */
export async function migrateQueueSchema(url: string): Promise<void> {
  await runMigrations({ connectionString: url, logger: new Logger(() => () => undefined) });
}

/** Runs `prisma migrate deploy` against url; returns the migrations it applied. */
export async function migrate(url: string, opts: { force?: boolean } = {}): Promise<string[]> {
  const pending = await pendingMigrations(url);
  await migrateQueueSchema(url);
  if (pending.length === 0 && !opts.force) return [];
  const prismaBin = require.resolve("prisma/build/index.js");
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
  }
  return pending;
}
