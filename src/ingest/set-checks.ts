// Checks over whole staged files, in SQL: duplicate ids, duplicate score rows and references to
// ids that neither the imported files nor the database hold. Each check lists the first problems
// with their line numbers and counts the rest.
//
// The small catalog files are checked in full before they are merged. For the big files the
// detailed queries (window functions over millions of rows) run only once something is known to
// be wrong: a cheap aggregate says so for customer ids, and the score merge notices the rest on
// its way (fewer rows joined than staged, a unique index that cannot be built).
import type { PoolClient } from "pg";
import { quoteCell } from "./cells";
import type { ProblemLog } from "./errors";
import { CHANNELS_FILE } from "./rows/channels";
import { CUSTOMERS_FILE } from "./rows/customers";
import { OFFERS_FILE } from "./rows/offers";
import { SCORES_FILE } from "./rows/scores";
import type { StagingTables } from "./staging";

interface Check {
  file: string;
  column: string | null;
  /** SELECT line, key [, key2, key3], first_line: one row per problem */
  sql: string;
  message(row: CheckRow): string;
}

interface CheckRow {
  line: number;
  key: string;
  key2: string | null;
  key3: string | null;
  first_line: number | null;
}

function duplicateIds(table: string): string {
  return `SELECT line, external_id AS key, NULL::text AS key2, NULL::text AS key3, first_line
          FROM (SELECT line, external_id, min(line) OVER (PARTITION BY external_id) AS first_line
                FROM ${table}) d
          WHERE line > first_line`;
}

function unknownIds(table: string, column: string, knownInFile: string, knownInDb: string): string {
  return `SELECT s.line, s.${column} AS key, NULL::text AS key2, NULL::text AS key3, NULL::int AS first_line
          FROM ${table} s
          WHERE s.${column} IS NOT NULL
            AND NOT EXISTS (SELECT 1 FROM ${knownInFile} f WHERE f.external_id = s.${column})
            AND NOT EXISTS (SELECT 1 FROM ${knownInDb} d WHERE d.external_id = s.${column})`;
}

const duplicate = (what: string) => (r: CheckRow) =>
  `duplicate ${what} ${quoteCell(r.key)} (first on line ${r.first_line})`;
const unknown = (what: string, file: string) => (r: CheckRow) =>
  `unknown ${what} ${quoteCell(r.key)}: not in ${file} nor in the database`;

/** channels.csv and offers.csv: small, checked in full before they are merged */
function catalogChecks(t: StagingTables): Check[] {
  return [
    {
      file: CHANNELS_FILE,
      column: "channel_id",
      sql: duplicateIds(t.channel),
      message: duplicate("channel_id"),
    },
    {
      file: OFFERS_FILE,
      column: "offer_id",
      sql: duplicateIds(t.offer),
      message: duplicate("offer_id"),
    },
    {
      file: OFFERS_FILE,
      column: "channels",
      sql: unknownIds(t.offerChannel, "channel_external_id", t.channel, "channel"),
      message: unknown("channel", CHANNELS_FILE),
    },
  ];
}

/** customers.csv and scores.csv (score rows' offers and channels are checked while reading) */
function bulkChecks(t: StagingTables): Check[] {
  return [
    {
      file: CUSTOMERS_FILE,
      column: "customer_id",
      sql: duplicateIds(t.customer),
      message: duplicate("customer_id"),
    },
    {
      file: SCORES_FILE,
      column: "customer_id",
      sql: unknownIds(t.score, "customer_external_id", t.customer, "customer"),
      message: unknown("customer", CUSTOMERS_FILE),
    },
    {
      file: SCORES_FILE,
      column: null,
      // PARTITION BY groups NULL channels together: two channel-less rows are duplicates too.
      // Offers and channels that are only staged (not merged) show as "?".
      sql: `SELECT d.line, d.customer_external_id AS key, coalesce(o.external_id, '?') AS key2,
                   CASE WHEN d.channel_id IS NOT NULL THEN coalesce(ch.external_id, '?') END AS key3,
                   d.first_line
            FROM (SELECT line, customer_external_id, offer_id, channel_id,
                         min(line) OVER (PARTITION BY customer_external_id, offer_id, channel_id)
                           AS first_line
                  FROM ${t.score}) d
            LEFT JOIN offer o ON o.id = d.offer_id
            LEFT JOIN channel ch ON ch.id = d.channel_id
            WHERE d.line > d.first_line`,
      message: (r) =>
        r.key3 === null
          ? `second score row without a channel for customer ${quoteCell(r.key)} and offer ${quoteCell(r.key2 ?? "")} (first on line ${r.first_line})`
          : `second score row for customer ${quoteCell(r.key)}, offer ${quoteCell(r.key2 ?? "")} and channel ${quoteCell(r.key3)} (first on line ${r.first_line})`,
    },
  ];
}

async function run(client: PoolClient, checks: Check[], log: ProblemLog): Promise<number> {
  let found = 0;
  for (const check of checks) {
    const { rows: counted } = await client.query<{ n: string }>(
      `SELECT count(*) AS n FROM (${check.sql}) c`,
    );
    const n = Number(counted[0]!.n);
    if (n === 0) continue;
    found += n;
    const limit = Math.min(log.room, n);
    if (limit > 0) {
      const { rows } = await client.query<CheckRow>(
        `SELECT * FROM (${check.sql}) c ORDER BY line LIMIT ${limit}`,
      );
      for (const r of rows) log.add(check.file, r.line, check.column, check.message(r));
    }
    log.addUnlisted(n - limit);
  }
  return found;
}

/** Checks channels.csv and offers.csv in full; returns how many problems were logged. */
export function diagnoseCatalog(
  client: PoolClient,
  t: StagingTables,
  log: ProblemLog,
): Promise<number> {
  return run(client, catalogChecks(t), log);
}

/** Checks customers.csv and scores.csv in full; returns how many problems were logged. */
export function diagnoseBulk(
  client: PoolClient,
  t: StagingTables,
  log: ProblemLog,
): Promise<number> {
  return run(client, bulkChecks(t), log);
}

/** Whether two staged customers share an id (a hash aggregate: cheap next to the merge). */
export async function customersHaveDuplicates(
  client: PoolClient,
  t: StagingTables,
): Promise<boolean> {
  const { rows } = await client.query<{ bad: boolean }>(
    `SELECT EXISTS (SELECT 1 FROM ${t.customer} GROUP BY external_id HAVING count(*) > 1) AS bad`,
  );
  return rows[0]!.bad;
}

/** Whether two staged score rows share customer, offer and channel (or both have no channel). */
export async function scoresHaveDuplicates(client: PoolClient, t: StagingTables): Promise<boolean> {
  const { rows } = await client.query<{ bad: boolean }>(
    `SELECT EXISTS (SELECT 1 FROM ${t.score}
                    GROUP BY customer_external_id, offer_id, channel_id
                    HAVING count(*) > 1) AS bad`,
  );
  return rows[0]!.bad;
}
