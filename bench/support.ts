// Shared by the benchmarks: cached generated datasets and fresh, migrated databases.
import { existsSync } from "node:fs";
import { writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Client, Pool } from "pg";
import { adminQuery, databaseUrl } from "../src/db/admin";
import { migrate } from "../src/db/migrate";
import { writeDataset } from "../src/generate";
import { importDataset } from "../src/ingest";

const DEFAULT_SERVER = "postgresql://postgres@127.0.0.1:5432/postgres";

/** Generates a dataset once per (customers, seed, profile) under the OS temp dir. */
export async function benchDataset(
  customers: number,
  seed: number,
  profile: "default" | "hard" = "default",
) {
  const dir = join(tmpdir(), "offerplan-bench", `c${customers}-s${seed}-${profile}`);
  const marker = join(dir, ".complete");
  if (existsSync(marker)) return dir;
  const t0 = performance.now();
  process.stdout.write(`generating ${customers} customers (${profile}) into ${dir} … `);
  await writeDataset({ customers, seed, profile, outDir: dir });
  await writeFile(marker, "");
  console.log(`${((performance.now() - t0) / 1000).toFixed(1)} s`);
  return dir;
}

const benchServer = () => process.env.DATABASE_URL ?? DEFAULT_SERVER;

/** Drops and recreates `database` on the server of DATABASE_URL and migrates it. */
export async function freshDatabase(database: string): Promise<string> {
  const server = benchServer();
  await adminQuery(
    server,
    `DROP DATABASE IF EXISTS ${database} WITH (FORCE)`,
    `CREATE DATABASE ${database}`,
  );
  const url = databaseUrl(server, database);
  await migrate(url);
  return url;
}

export async function dropDatabase(database: string): Promise<void> {
  await adminQuery(benchServer(), `DROP DATABASE IF EXISTS ${database} WITH (FORCE)`);
}

export function argValue(argv: string[], name: string, fallback: string): string {
  const i = argv.indexOf(`--${name}`);
  return i >= 0 && argv[i + 1] !== undefined ? argv[i + 1]! : fallback;
}

const IMPORTED = "offerplan bench: imported";

/**
 * A database holding the cached dataset, imported once and kept between runs
 * (offerplan_bench_c<N>_s<seed>_<profile>): loader work needs no fresh import of minutes.
 */
export async function importedDatabase(
  customers: number,
  seed: number,
  profile: "default" | "hard" = "default",
): Promise<string> {
  const dir = await benchDataset(customers, seed, profile);
  const database = `offerplan_bench_c${customers}_s${seed}_${profile}`;
  const url = databaseUrl(benchServer(), database);
  if (await isImported(database)) {
    // a database kept from before a new migration: bring it up to date (a no-op otherwise)
    await migrate(url);
    return url;
  }
  await freshDatabase(database);
  const pool = new Pool({ connectionString: url, max: 2 });
  try {
    const t0 = performance.now();
    await importDataset(pool, dir);
    await pool.query("VACUUM ANALYZE");
    await pool.query(`COMMENT ON DATABASE ${database} IS '${IMPORTED}'`);
    console.log(`imported into ${database} in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
  } finally {
    await pool.end();
  }
  return url;
}

async function isImported(database: string): Promise<boolean> {
  const admin = new Client({ connectionString: benchServer() });
  await admin.connect();
  try {
    const { rows } = await admin.query<{ comment: string | null }>(
      "SELECT shobj_description(oid, 'pg_database') AS comment FROM pg_database WHERE datname = $1",
      [database],
    );
    return rows[0]?.comment === IMPORTED;
  } finally {
    await admin.end();
  }
}
