// importContactHistory(): a file of past contacts (customer, offer, channel, when), validated like
// every import and written in ONE transaction: a rejected file writes nothing.
//
//   1. read and validate the rows in Node (the dataset import's CSV reader, header and cell rules;
//      contacted_at is checked on the bytes), streaming COPY text into a temporary staging table;
//   2. one set-based resolve of the external ids (hash joins, no per-row queries), then checks in
//      SQL: unknown customers, offers and channels, the same contact twice in the file (looked
//      for in detail only when a unique index over the file's contacts refuses to build);
//   3. one INSERT … SELECT … ON CONFLICT DO NOTHING on the natural key (customer, offer, channel,
//      contacted_at): a contact already in the history is left as it is, so a re-import adds
//      nothing; a contact_import row records the file and the counts; COMMIT.
//
// Columns (header names trimmed, any letter case, any order): customer_id, offer_id, channel_id,
// contacted_at, all required. Extra columns are allowed and not stored.
import { inTransaction } from "../db/transaction";
import { bumpRevision } from "../db/revisions";
import { stat } from "node:fs/promises";
import { basename } from "node:path";
import type { Pool, PoolClient } from "pg";
import { quoteCell } from "./cells";
import { stageOneFile } from "./stage-one-file";
import type { CsvRecord } from "./csv-reader";
import { ImportError, ProblemLog } from "./errors";
import { ContactKeyRows, contactKeyColumns } from "./rows/contact-key-rows";
import { range, type FileKind } from "./rows/row-encoder";

export interface ContactImportSummary {
  /** id of the contact_import row */
  importId: number;
  file: string;
  /** data rows in the file */
  rowsRead: number;
  /** contacts new to the history */
  inserted: number;
  /** contacts that were in the history already */
  unchanged: number;
  seconds: number;
}

export interface ContactImportOptions {
  /** recorded with the import: an API key's name, or "cli" */
  importedBy?: string;
}

const DIGIT0 = 0x30;
const isDigit = (c: number | undefined) => c !== undefined && c >= DIGIT0 && c <= DIGIT0 + 9;

function digits(buf: Buffer, at: number, n: number): number {
  let v = 0;
  for (let i = 0; i < n; i++) {
    const c = buf[at + i];
    if (!isDigit(c)) return -1;
    v = v * 10 + (c! - DIGIT0);
  }
  return v;
}

function daysIn(year: number, month: number): number {
  if (month === 2) return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0 ? 29 : 28;
  return month === 4 || month === 6 || month === 9 || month === 11 ? 30 : 31;
}

/**
 * Whether buf[s, e) is an ISO-8601 date-time PostgreSQL reads the same way:
 * YYYY-MM-DD, optionally [T or space]HH:MM[:SS[.f…f]] and an offset Z, ±HH, ±HHMM or ±HH:MM.
 * Without an offset the time is UTC (the import sets the session's time zone).
 */
export function isIsoDateTime(buf: Buffer, s: number, e: number): boolean {
  if (e - s < 10) return false;
  const year = digits(buf, s, 4);
  const month = digits(buf, s + 5, 2);
  const day = digits(buf, s + 8, 2);
  if (buf[s + 4] !== 0x2d || buf[s + 7] !== 0x2d || year < 1 || month < 1 || month > 12)
    return false;
  if (day < 1 || day > daysIn(year, month)) return false;
  let p = s + 10;
  if (p === e) return true;
  if (buf[p] !== 0x54 && buf[p] !== 0x74 && buf[p] !== 0x20) return false;
  const hour = digits(buf, p + 1, 2);
  const minute = digits(buf, p + 4, 2);
  if (p + 6 > e || buf[p + 3] !== 0x3a || hour < 0 || hour > 23 || minute < 0 || minute > 59)
    return false;
  p += 6;
  if (p < e && buf[p] === 0x3a) {
    const second = digits(buf, p + 1, 2);
    if (p + 3 > e || second < 0 || second > 59) return false;
    p += 3;
    if (p < e && buf[p] === 0x2e) {
      let n = 0;
      while (p + 1 + n < e && isDigit(buf[p + 1 + n])) n++;
      if (n < 1 || n > 6) return false;
      p += 1 + n;
    }
  }
  if (p === e) return true;
  const sign = buf[p];
  if (sign === 0x5a || sign === 0x7a) return p + 1 === e;
  if (sign !== 0x2b && sign !== 0x2d) return false;
  const oh = digits(buf, p + 1, 2);
  if (p + 3 > e || oh < 0 || oh > 15) return false;
  p += 3;
  if (p === e) return true;
  if (buf[p] === 0x3a) p++;
  const om = digits(buf, p, 2);
  return p + 2 === e && om >= 0 && om <= 59;
}

class ContactRows extends ContactKeyRows {
  private readonly iAt = this.col("contacted_at");
  private readonly at = range();

  encode(rec: CsvRecord): void {
    this.ok = true;
    const hasCustomer = this.id(rec, this.iCustomer, "customer_id", this.customer);
    const hasOffer = this.id(rec, this.iOffer, "offer_id", this.offer);
    const hasChannel = this.id(rec, this.iChannel, "channel_id", this.channel);
    const a = this.at;
    this.trimmed(rec, this.iAt, a);
    if (a.start === a.end) this.fail(rec.line, "contacted_at", "required value missing");
    else if (!isIsoDateTime(rec.buf, a.start, a.end))
      this.fail(
        rec.line,
        "contacted_at",
        `must be an ISO-8601 date-time such as 2026-03-01T09:30:00Z, got ${quoteCell(this.cell(rec, a))}`,
      );
    // staged with its ids even when the date is bad, so unknown ids are still reported
    if (!hasCustomer || !hasOffer || !hasChannel) return;
    this.writeKey(rec);
    if (this.ok) this.text(rec, a);
    else this.out.nul();
    this.out.end();
  }
}

function contactsKind(file: string): FileKind {
  return {
    file,
    columns: [...contactKeyColumns(true), { name: "contacted_at", required: true }],
    encoder: (layout, problems, out) => new ContactRows(file, layout, problems, out),
  };
}

/** Imports a contact file. Throws ImportError, having written nothing, when any row is wrong. */
export async function importContactHistory(
  pool: Pool,
  path: string,
  opts: ContactImportOptions = {},
): Promise<ContactImportSummary> {
  const started = performance.now();
  if (!(await stat(path).catch(() => null))?.isFile())
    throw new ImportError([{ file: path, line: 0, column: null, message: "no such file" }], 1);
  return inTransaction(pool, async (client) => {
    // a contacted_at without an offset is UTC, whatever the server's default time zone
    await client.query("SET LOCAL TIME ZONE 'UTC'");
    return runImport(client, path, opts, started);
  });
}

async function runImport(
  client: PoolClient,
  file: string,
  opts: ContactImportOptions,
  started: number,
): Promise<ContactImportSummary> {
  // one writer of the history at a time (imports and plan commits); readers go on
  await client.query("LOCK TABLE contact_history IN SHARE ROW EXCLUSIVE MODE");
  await client.query(
    `CREATE TEMP TABLE _contacts (line int, customer_external_id text, offer_external_id text,
       channel_external_id text, contacted_at timestamptz(3)) ON COMMIT DROP`,
  );
  const name = basename(file);
  const problems = new ProblemLog();
  const rowsRead = await stageOneFile(
    client,
    file,
    name,
    contactsKind(name),
    "COPY _contacts (line, customer_external_id, offer_external_id, channel_external_id, contacted_at) FROM STDIN",
    problems,
  );
  await client.query("ANALYZE _contacts");
  await client.query(RESOLVE);
  await unknownChecks(client, name, problems);
  await duplicateCheck(client, name, problems);
  if (!problems.empty) throw problems.toError();

  const run = await client.query<{ id: number }>(
    `INSERT INTO contact_import (file, rows_read, inserted, unchanged, seconds, imported_by)
     VALUES ($1, $2, 0, 0, 0, $3) RETURNING id`,
    [file, rowsRead, opts.importedBy ?? null],
  );
  const importId = run.rows[0]!.id;
  const merged = await client.query(
    `INSERT INTO contact_history (customer_id, offer_id, channel_id, contacted_at, import_id)
     SELECT customer_id, offer_id, channel_id, contacted_at, $1 FROM _contacts_resolved
     -- in key order the primary key's inserts touch each leaf page once, not once per row
     ORDER BY customer_id, offer_id, contacted_at, channel_id
     ON CONFLICT DO NOTHING`,
    [importId],
  );
  const inserted = merged.rowCount ?? 0;
  if (inserted > 0) await bumpRevision(client, "history");
  const unchanged = rowsRead - inserted;
  const seconds = (performance.now() - started) / 1000;
  await client.query(
    `UPDATE contact_import SET inserted = $2, unchanged = $3, seconds = $4,
            imported_at = clock_timestamp() WHERE id = $1`,
    [importId, inserted, unchanged, seconds],
  );
  return { importId, file, rowsRead, inserted, unchanged, seconds };
}

// Each staged row with its database ids (NULL when unknown).
const RESOLVE = `
  CREATE TEMP TABLE _contacts_resolved ON COMMIT DROP AS
  SELECT s.line, s.customer_external_id, s.offer_external_id, s.channel_external_id,
         s.contacted_at, cu.id AS customer_id, o.id AS offer_id, ch.id AS channel_id
  FROM _contacts s
  LEFT JOIN customer cu ON cu.external_id = s.customer_external_id
  LEFT JOIN offer o ON o.external_id = s.offer_external_id
  LEFT JOIN channel ch ON ch.external_id = s.channel_external_id`;

const UNKNOWN = [
  { column: "customer_id", id: "customer_id", ext: "customer_external_id", what: "customer" },
  { column: "offer_id", id: "offer_id", ext: "offer_external_id", what: "offer" },
  { column: "channel_id", id: "channel_id", ext: "channel_external_id", what: "channel" },
] as const;

async function unknownChecks(client: PoolClient, file: string, problems: ProblemLog) {
  for (const u of UNKNOWN) {
    const { rows } = await client.query<{ line: number; ext: string; total: number }>(
      `SELECT line, ${u.ext} AS ext, count(*) OVER ()::int AS total
       FROM _contacts_resolved WHERE ${u.id} IS NULL ORDER BY line LIMIT $1`,
      [Math.max(problems.room, 1)],
    );
    for (const r of rows)
      problems.add(file, r.line, u.column, `unknown ${u.what} ${quoteCell(r.ext)}`);
    if (rows.length > 0) problems.addUnlisted(rows[0]!.total - rows.length);
  }
}

/**
 * The same contact twice in the file is reported at the second line, naming the first. A sort
 * over millions of rows for a window function is the expensive way to find none, so a unique
 * index is tried first (in a savepoint) and the detailed query runs only when it fails.
 */
async function duplicateCheck(client: PoolClient, file: string, problems: ProblemLog) {
  await client.query("SAVEPOINT contacts_unique");
  try {
    await client.query(
      "CREATE UNIQUE INDEX ON _contacts_resolved (customer_id, offer_id, contacted_at, channel_id)",
    );
    await client.query("RELEASE SAVEPOINT contacts_unique");
    return;
  } catch (e) {
    if ((e as { code?: string }).code !== "23505") throw e;
    await client.query("ROLLBACK TO SAVEPOINT contacts_unique");
  }
  const { rows } = await client.query<{
    line: number;
    first_line: number;
    customer: string;
    offer: string;
    channel: string;
    total: number;
  }>(
    `SELECT line, first_line, customer, offer, channel, count(*) OVER ()::int AS total
     FROM (SELECT line, customer_external_id AS customer, offer_external_id AS offer,
                  channel_external_id AS channel,
                  min(line) OVER (PARTITION BY customer_id, offer_id, contacted_at, channel_id)
                    AS first_line
           FROM _contacts_resolved
           WHERE customer_id IS NOT NULL AND offer_id IS NOT NULL AND channel_id IS NOT NULL
             AND contacted_at IS NOT NULL) d
     WHERE line > first_line ORDER BY line LIMIT $1`,
    [Math.max(problems.room, 1)],
  );
  for (const r of rows)
    problems.add(
      file,
      r.line,
      null,
      `duplicate contact of customer ${quoteCell(r.customer)} with offer ${quoteCell(r.offer)} through channel ${quoteCell(r.channel)} at the same time (first on line ${r.first_line})`,
    );
  if (rows.length > 0) problems.addUnlisted(rows[0]!.total - rows.length);
}
