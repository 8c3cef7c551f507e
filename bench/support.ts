// Shared by the benchmarks: cached generated datasets and fresh, migrated databases.
import { existsSync } from "node:fs";
import { writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Client } from "pg";
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

/** Drops and recreates `database` on the server of DATABASE_URL and migrates it. */
export async function freshDatabase(database: string): Promise<string> {
  const server = process.env.DATABASE_URL ?? DEFAULT_SERVER;
  const c = new Client({ connectionString: server });
  await c.connect();
  try {
    await c.query(`DROP DATABASE IF EXISTS ${database} WITH (FORCE)`);
    await c.query(`CREATE DATABASE ${database}`);
  } finally {
    await c.end();
  }
  const u = new URL(server);
  u.pathname = `/${database}`;
  await migrate(u.toString());
  return u.toString();
}

export function argValue(argv: string[], name: string, fallback: string): string {
  const i = argv.indexOf(`--${name}`);
  return i >= 0 && argv[i + 1] !== undefined ? argv[i + 1]! : fallback;
}
