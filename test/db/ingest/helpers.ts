// Helpers of the import's database tests: dataset directories, full table snapshots and the
// schema of the tables a bulk merge drops and rebuilds.
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Pool } from "pg";
import { ImportError, type ImportProblem } from "../../../src/ingest";

export const FIXTURES = join(__dirname, "..", "..", "fixtures", "ingest");

const made: string[] = [];

/** A new directory holding the given files (removed by removeDatasetDirs()). */
export async function datasetDir(files: Record<string, string | Buffer>): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), "offerplan-ingest-"));
  made.push(dir);
  for (const [name, content] of Object.entries(files)) await writeFile(join(dir, name), content);
  return dir;
}

export async function removeDatasetDirs(): Promise<void> {
  await Promise.all(made.splice(0).map((d) => rm(d, { recursive: true, force: true })));
}

export const TABLES = ["channel", "offer", "offer_channel", "customer", "score", "import_run"];

/** Every row of every table the import writes, in a stable order, timestamps included. */
export async function snapshot(pool: Pool): Promise<Record<string, unknown[]>> {
  const out: Record<string, unknown[]> = {};
  for (const t of TABLES) {
    const { rows } = await pool.query(`SELECT * FROM ${t} ORDER BY 1, 2`);
    out[t] = rows;
  }
  return out;
}

/** Index and constraint definitions of the bulk-loaded tables, as the catalog has them. */
export async function schemaOf(pool: Pool): Promise<unknown[]> {
  const { rows } = await pool.query(
    `SELECT 'index' AS kind, tablename AS tbl, indexname AS name, indexdef AS def
     FROM pg_indexes WHERE tablename IN ('score', 'customer')
     UNION ALL
     SELECT 'constraint', conrelid::regclass::text, conname,
            pg_get_constraintdef(oid) || CASE WHEN convalidated THEN '' ELSE ' NOT VALID' END
     FROM pg_constraint WHERE conrelid IN ('score'::regclass, 'customer'::regclass)
     ORDER BY 1, 2, 3`,
  );
  return rows;
}

/** The import's rejection, or a failure of the test when it was not rejected. */
export async function rejection(p: Promise<unknown>): Promise<ImportError> {
  try {
    await p;
  } catch (e) {
    if (e instanceof ImportError) return e;
    throw e;
  }
  throw new Error("the import was not rejected");
}

export function problem(
  file: string,
  line: number,
  column: string | null,
  message: string | RegExp,
): ImportProblem {
  return {
    file,
    line,
    column,
    message: typeof message === "string" ? message : (expect.stringMatching(message) as string),
  };
}

export async function truncateAll(pool: Pool): Promise<void> {
  await pool.query(
    `TRUNCATE channel, offer, offer_channel, customer, score, import_run RESTART IDENTITY CASCADE`,
  );
}

export const SCORE_HEADER = "customer_id,offer_id,channel_id,probability,value,cost\n";
export const CHANNELS = "channel_id,cost_per_contact\nmail,1\nbranch,3\n";
export const OFFERS = "offer_id,channels\ncard,\nloan,mail\n";

/** customers.csv with ids C1…Cn */
export function customersCsv(n: number, segment = "mass"): string {
  let s = "customer_id,segment\n";
  for (let i = 1; i <= n; i++) s += `C${i},${segment}\n`;
  return s;
}

/** scores.csv with, per customer, a channel-less card row and (perCustomer 2) a mail row for loan */
export function scoresCsv(n: number, probability = "0.25", perCustomer: 1 | 2 = 2): string {
  let s = SCORE_HEADER;
  for (let i = 1; i <= n; i++) {
    s += `C${i},card,,${probability},10,\n`;
    if (perCustomer === 2) s += `C${i},loan,mail,0.5,20,1\n`;
  }
  return s;
}

/** object ids of the indexes of a table: a rebuilt index gets a new one */
export async function indexOids(pool: Pool, table: string): Promise<number[]> {
  const { rows } = await pool.query<{ oid: number }>(
    `SELECT indexrelid::int AS oid FROM pg_index WHERE indrelid = $1::regclass ORDER BY 1`,
    [table],
  );
  return rows.map((r) => r.oid);
}
