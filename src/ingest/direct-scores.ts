// First load of scores.csv (the score table is empty, the customers are merged): the rows go
// straight into `score`, each customer id looked up in Node (customer-ids.ts) as the row is read.
// No staging table, no INSERT … SELECT over millions of rows and no join: PostgreSQL parses the
// COPY and writes the heap once, while Node reads on.
//
// Only a clean file takes this path to the end. At the first sign of a problem (a bad cell, an
// unknown id, a duplicate row refused by the unique index) everything it wrote is rolled back to
// its savepoint and the caller loads the file through staging instead, whose set-based checks
// report every problem with its line, in the usual order and wording.
import { stat } from "node:fs/promises";
import { join } from "node:path";
import { dropIndexes } from "./bulk-indexes";
import { BULK_MIN_ROWS } from "./bulk-policy";
import type { CatalogIds } from "./catalog-ids";
import { loadCustomerIds, type CustomerIds } from "./customer-ids";
import { rebuildAndAnalyze, type DirectFile } from "./direct-file";
import { ProblemLog } from "./errors";
import { isUniqueViolation } from "./merge-conflict";
import { stageFile, type StagedFile } from "./stage-file";

/**
 * A score file at least this large holds at least about BULK_MIN_ROWS rows (a short row, such as
 * `C1,o1,,0.5,10,` plus its line break, takes ~16 bytes): the indexes and foreign keys of `score`
 * are then dropped before the COPY and built after, as bulk-policy.ts decides for merges.
 */
export const DIRECT_BULK_MIN_BYTES = BULK_MIN_ROWS * 16;

const SAVEPOINT = "score_direct";

export interface KnownIds {
  catalog: CatalogIds;
  /** every customer's id, when known already; null: loaded from the database */
  ids: CustomerIds | null;
}

/** The file loaded into `score`; null when it was rolled back and must go through staging. */
export async function loadScoresDirect(
  file: DirectFile,
  known: KnownIds,
  /** work on the connection that must come first; the file is read meanwhile */
  before: () => Promise<void> = async () => undefined,
): Promise<StagedFile | null> {
  const { client } = file;
  // the rows are numbered in Node from the sequence's next value; it is moved past them after
  const { rows } = await client.query<{ first: string }>(
    "SELECT nextval(pg_get_serial_sequence('score', 'id')) AS first",
  );
  const firstId = Number(rows[0]!.first);
  const opened = (async () => {
    await before();
    await client.query(`SAVEPOINT ${SAVEPOINT}`);
  })();
  // handled below, always; this keeps a failure that comes before load() awaits it from being
  // taken for an unhandled rejection meanwhile
  opened.catch(() => undefined);
  let result: StagedFile | null = null;
  try {
    result = await load(file, known, firstId, opened);
  } catch (e) {
    // an error on the connection before the savepoint was set is the import's, not the file's
    await opened;
    if (!isUniqueViolation(e)) throw e;
  }
  await client.query(
    result === null ? `ROLLBACK TO SAVEPOINT ${SAVEPOINT}` : `RELEASE SAVEPOINT ${SAVEPOINT}`,
  );
  return result;
}

async function load(
  file: DirectFile,
  { catalog, ids }: KnownIds,
  firstId: number,
  /** settles once the savepoint is set (after the caller's earlier work) */
  opened: Promise<void>,
): Promise<StagedFile | null> {
  const { client, dir, spec, tables, progress, phases } = file;
  const bulk = (await stat(join(dir, spec.name))).size >= DIRECT_BULK_MIN_BYTES;
  // the customers' ids are needed before the first row: when they must be asked of the
  // database, the connection's earlier work is waited for
  if (ids === null) await opened;
  const customers = ids ?? (await phases.time("load customer ids", () => loadCustomerIds(client)));
  const prepared = (async () => {
    await opened;
    if (!bulk) return null;
    return phases.time("drop score indexes", () =>
      dropIndexes(client, "score", { keepPrimaryKey: true }),
    );
  })();
  // the COPY opens when the connection is free; Node reads ahead meanwhile
  const connectionFree = prepared.then(
    () => undefined,
    () => undefined,
  );
  // problems of this attempt only: any of them sends the file through staging, which finds them
  // all again (and the set-based ones with them)
  const problems = new ProblemLog();
  // binary: Node has parsed every number to its double already, and the server then need not
  const copy = {
    sql: `COPY score (id, customer_id, offer_id, channel_id, probability, value, cost, attributes)
          FROM STDIN (FORMAT binary)`,
    binary: true,
  };
  const context = { catalog, customers, firstScoreId: firstId };
  let staged: StagedFile;
  try {
    staged = await phases.time("read + copy scores.csv into score", () =>
      stageFile(client, dir, spec, tables, problems, progress, context, connectionFree, copy),
    );
  } finally {
    // the connection's own failure, if any, is the one to report
    await prepared;
  }
  const dropped = await prepared;
  if (!problems.empty) return null;
  if (staged.staged > 0)
    await client.query(`SELECT setval(pg_get_serial_sequence('score', 'id'), $1)`, [
      firstId + staged.staged - 1,
    ]);
  await rebuildAndAnalyze(file, "score", dropped);
  return staged;
}
