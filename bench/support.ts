// Shared by the benchmarks: cached generated datasets and fresh, migrated databases.
import { existsSync } from "node:fs";
import { writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { adminQuery, databaseUrl } from "../src/db/admin";
import { migrate } from "../src/db/migrate";
import { writeDataset } from "../src/generate";

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
