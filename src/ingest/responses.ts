// importResponses(): a campaign's response file for one plan, validated like every import and
// written in ONE transaction: a rejected file writes nothing, wherever its bad rows are.
//
//   1. read and validate the rows in Node (the dataset import's CSV reader, header and cell rules),
//      streaming COPY text into a temporary staging table with line numbers;
//   2. set-based checks in SQL: unknown customers, offers and channels, (customer, offer) pairs the
//      plan did not assign, a channel other than the assigned one, the same pair twice;
//   3. one set-based merge into plan_response keyed by (plan, customer, offer): IS DISTINCT FROM
//      decides what changed, so importing the same file again writes nothing;
//   4. a response_import row with the counts; COMMIT.
//
// Columns (header names trimmed, any letter case, any order): customer_id, offer_id, responded
// (true/false) required; channel_id (empty = the channel the plan assigned; given, it must be
// that one) and revenue (number >= 0, empty = 0) optional; extra columns are kept as attributes.
import { inTransaction } from "../db/transaction";
import { stat } from "node:fs/promises";
import { basename, join } from "node:path";
import type { Pool, PoolClient } from "pg";
import { parseBoolean, quoteCell } from "./cells";
import { stageOneFile } from "./stage-one-file";
import type { CsvRecord } from "./csv-reader";
import { ImportError, ProblemLog } from "./errors";
import { ContactKeyRows, contactKeyColumns } from "./rows/contact-key-rows";
import { range, type FileKind } from "./rows/row-encoder";

/** the file read when a directory is given */
export const RESPONSES_FILE = "responses.csv";

export interface ResponseImportSummary {
  /** id of the response_import row */
  importId: number;
  planId: number;
  file: string;
  /** data rows in the file */
  rowsRead: number;
  inserted: number;
  updated: number;
  unchanged: number;
  seconds: number;
}

export interface ResponseImportOptions {
  /** recorded with the import: an API key's name, or "cli" */
  importedBy?: string;
}

class ResponseRows extends ContactKeyRows {
  private readonly iResponded = this.col("responded");
  private readonly iRevenue = this.col("revenue");
  private readonly responded = range();
  private readonly revenue = range();

  encode(rec: CsvRecord): void {
    this.ok = true;
    const hasCustomer = this.id(rec, this.iCustomer, "customer_id", this.customer);
    const hasOffer = this.id(rec, this.iOffer, "offer_id", this.offer);
    this.trimmed(rec, this.iChannel, this.channel);
    this.trimmed(rec, this.iResponded, this.responded);
    let responded: boolean | null = null;
    if (this.responded.start === this.responded.end)
      this.fail(rec.line, "responded", "required value missing");
    else {
      responded = parseBoolean(rec.buf, this.responded.start, this.responded.end);
      if (responded === null)
        this.fail(
          rec.line,
          "responded",
          `must be true or false, got ${quoteCell(this.cell(rec, this.responded))}`,
        );
    }
    const hasRevenue = this.decimal(
      rec,
      this.iRevenue,
      "revenue",
      false,
      "non-negative",
      this.revenue,
    );
    // staged with its ids even when a cell is bad, so the set-based checks still see duplicates
    if (!hasCustomer || !hasOffer) return;
    this.writeKey(rec);
    const o = this.out;
    if (this.ok) {
      o.ascii(responded ? "t" : "f");
      o.tab();
      if (hasRevenue) this.text(rec, this.revenue);
      else o.ascii("0");
      o.tab();
      this.attributes(rec);
    } else o.ascii("\\N\t\\N\t\\N");
    o.end();
  }
}

const STAGING_COLUMNS =
  "line int, customer_external_id text, offer_external_id text, channel_external_id text, responded boolean, revenue float8, attributes jsonb";

function responsesKind(file: string): FileKind {
  return {
    file,
    columns: [
      ...contactKeyColumns(false),
      { name: "responded", required: true },
      { name: "revenue", required: false },
    ],
    encoder: (layout, problems, out) => new ResponseRows(file, layout, problems, out),
  };
}

/** The response file at `path`: the file itself, or responses.csv in a directory. */
export async function resolveResponseFile(path: string): Promise<string> {
  const st = await stat(path).catch(() => null);
  if (st?.isDirectory()) {
    const inDir = join(path, RESPONSES_FILE);
    if ((await stat(inDir).catch(() => null))?.isFile()) return inDir;
    throw new ImportError(
      [{ file: path, line: 0, column: null, message: `no ${RESPONSES_FILE} in this directory` }],
      1,
    );
  }
  if (!st?.isFile())
    throw new ImportError([{ file: path, line: 0, column: null, message: "no such file" }], 1);
  return path;
}

/**
 * Imports a response file for plan `planId`, which the caller has checked is SUCCEEDED (its
 * assignments never change after that). Throws ImportError, having written nothing, when any
 * row is wrong.
 */
export async function importResponses(
  pool: Pool,
  planId: number,
  path: string,
  opts: ResponseImportOptions = {},
): Promise<ResponseImportSummary> {
  const started = performance.now();
  const file = await resolveResponseFile(path);
  return inTransaction(pool, (client) => runImport(client, planId, file, opts, started));
}

async function runImport(
  client: PoolClient,
  planId: number,
  file: string,
  opts: ResponseImportOptions,
  started: number,
): Promise<ResponseImportSummary> {
  // One response import at a time, so two files for the same plan cannot interleave their
  // checks and merges; readers of plan_response go on.
  await client.query("LOCK TABLE plan_response IN SHARE ROW EXCLUSIVE MODE");
  await client.query(`CREATE TEMP TABLE _responses (${STAGING_COLUMNS}) ON COMMIT DROP`);
  const name = basename(file);
  const problems = new ProblemLog();
  const rowsRead = await stageOneFile(
    client,
    file,
    name,
    responsesKind(name),
    "COPY _responses (line, customer_external_id, offer_external_id, channel_external_id, responded, revenue, attributes) FROM STDIN",
    problems,
  );
  await client.query("ANALYZE _responses");
  await client.query(RESOLVE, [planId]);
  await setChecks(client, name, planId, problems);
  if (!problems.empty) throw problems.toError();

  const run = await client.query<{ id: number }>(
    `INSERT INTO response_import (plan_id, file, rows_read, inserted, updated, unchanged, seconds, imported_by)
     VALUES ($1, $2, $3, 0, 0, 0, 0, $4) RETURNING id`,
    [planId, file, rowsRead, opts.importedBy ?? null],
  );
  const importId = run.rows[0]!.id;
  const merged = await client.query<{ inserted: number; updated: number; staged: number }>(
    `WITH m AS (
       INSERT INTO plan_response AS pr
         (plan_id, customer_id, offer_id, channel_id, responded, revenue, attributes, import_id)
       SELECT $1, customer_id, offer_id, assigned_channel_id, responded, revenue, attributes, $2
       FROM _responses_resolved
       ON CONFLICT (plan_id, customer_id, offer_id) DO UPDATE
         SET channel_id = EXCLUDED.channel_id, responded = EXCLUDED.responded,
             revenue = EXCLUDED.revenue, attributes = EXCLUDED.attributes,
             import_id = EXCLUDED.import_id
         WHERE (pr.channel_id, pr.responded, pr.revenue, pr.attributes)
               IS DISTINCT FROM (EXCLUDED.channel_id, EXCLUDED.responded, EXCLUDED.revenue,
                                 EXCLUDED.attributes)
       -- a row the statement inserted has no deleting transaction yet; an updated one has
       RETURNING (xmax = 0) AS inserted)
     SELECT count(*) FILTER (WHERE inserted)::int AS inserted,
            count(*) FILTER (WHERE NOT inserted)::int AS updated,
            (SELECT count(*)::int FROM _responses_resolved) AS staged
     FROM m`,
    [planId, importId],
  );
  const { inserted, updated, staged } = merged.rows[0]!;
  const unchanged = staged - inserted - updated;
  const seconds = (performance.now() - started) / 1000;
  await client.query(
    `UPDATE response_import SET inserted = $2, updated = $3, unchanged = $4, seconds = $5,
            imported_at = clock_timestamp() WHERE id = $1`,
    [importId, inserted, updated, unchanged, seconds],
  );
  return { importId, planId, file, rowsRead, inserted, updated, unchanged, seconds };
}

// Each staged row with its database ids and the plan's assignment of that (customer, offer).
const RESOLVE = `
  CREATE TEMP TABLE _responses_resolved ON COMMIT DROP AS
  SELECT s.line, s.customer_external_id, s.offer_external_id, s.channel_external_id,
         s.responded, s.revenue, s.attributes,
         cu.id AS customer_id, o.id AS offer_id, ch.id AS channel_id,
         a.channel_id AS assigned_channel_id, ach.external_id AS assigned_channel_external_id
  FROM _responses s
  LEFT JOIN customer cu ON cu.external_id = s.customer_external_id
  LEFT JOIN offer o ON o.external_id = s.offer_external_id
  LEFT JOIN channel ch ON ch.external_id = s.channel_external_id
  LEFT JOIN plan_assignment a ON a.plan_id = $1 AND a.customer_id = cu.id AND a.offer_id = o.id
  LEFT JOIN channel ach ON ach.id = a.channel_id`;

interface CheckRow {
  line: number;
  customer: string;
  offer: string;
  channel: string | null;
  assigned: string | null;
  first_line: number | null;
  total: number;
}

interface Check {
  column: string | null;
  /** a condition on _responses_resolved r (and first_line, the first line of its pair) */
  where: string;
  message(r: CheckRow, planId: number): string;
}

const CHECKS: Check[] = [
  {
    column: "customer_id",
    where: "r.customer_id IS NULL",
    message: (r) => `unknown customer ${quoteCell(r.customer)}`,
  },
  {
    column: "offer_id",
    where: "r.offer_id IS NULL",
    message: (r) => `unknown offer ${quoteCell(r.offer)}`,
  },
  {
    column: "channel_id",
    where: "r.channel_external_id IS NOT NULL AND r.channel_id IS NULL",
    message: (r) => `unknown channel ${quoteCell(r.channel ?? "")}`,
  },
  {
    column: "offer_id",
    where: "r.customer_id IS NOT NULL AND r.offer_id IS NOT NULL AND r.assigned_channel_id IS NULL",
    message: (r, plan) =>
      `plan ${plan} did not assign offer ${quoteCell(r.offer)} to customer ${quoteCell(r.customer)}`,
  },
  {
    column: "channel_id",
    where: "r.channel_id IS NOT NULL AND r.channel_id <> r.assigned_channel_id",
    message: (r, plan) =>
      `plan ${plan} assigned offer ${quoteCell(r.offer)} to customer ${quoteCell(r.customer)} through channel ${quoteCell(r.assigned ?? "")}, not ${quoteCell(r.channel ?? "")}`,
  },
  {
    column: null,
    where: "r.line > r.first_line",
    message: (r) =>
      `duplicate response for customer ${quoteCell(r.customer)} and offer ${quoteCell(r.offer)} (first on line ${r.first_line})`,
  },
];

/** Every set-based check: the first problems with their lines, the rest counted. */
async function setChecks(
  client: PoolClient,
  file: string,
  planId: number,
  problems: ProblemLog,
): Promise<void> {
  for (const check of CHECKS) {
    const { rows } = await client.query<CheckRow>(
      `SELECT line, customer, offer, channel, assigned, first_line, count(*) OVER ()::int AS total
       FROM (SELECT r.line, r.customer_external_id AS customer, r.offer_external_id AS offer,
                    r.channel_external_id AS channel, r.assigned_channel_external_id AS assigned,
                    min(r.line) OVER (PARTITION BY r.customer_external_id, r.offer_external_id)
                      AS first_line, r.customer_id, r.offer_id, r.channel_id,
                    r.channel_external_id, r.assigned_channel_id
             FROM _responses_resolved r) r
       WHERE ${check.where}
       ORDER BY line LIMIT $1`,
      [Math.max(problems.room, 1)],
    );
    for (const r of rows) problems.add(file, r.line, check.column, check.message(r, planId));
    if (rows.length > 0) problems.addUnlisted(rows[0]!.total - rows.length);
  }
}
