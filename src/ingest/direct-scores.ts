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
import type { PoolClient } from "pg";
import { dropIndexes, recreateIndexes, statementName } from "./bulk-indexes";
import { BULK_MIN_ROWS } from "./bulk-policy";
import type { CatalogIds } from "./catalog-ids";
import { loadCustomerIds, type CustomerIds } from "./customer-ids";
import type { ImportFileSpec } from "./dataset-files";
import { ProblemLog } from "./errors";
import { attempt } from "./merge-conflict";
import type { Phases } from "./phases";
import type { ProgressReporter } from "./progress";
import { stageFile, type StagedFile } from "./stage-file";
import type { StagingTables } from "./staging";

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
  client: PoolClient,
  dir: string,
  spec: ImportFileSpec,
  tables: StagingTables,
  progress: ProgressReporter,
  known: KnownIds,
  phases: Phases,
): Promise<StagedFile | null> {
  return attempt(client, SAVEPOINT, () => load(client, dir, spec, tables, progress, known, phases));
}

async function load(
  client: PoolClient,
  dir: string,
  spec: ImportFileSpec,
  tables: StagingTables,
  progress: ProgressReporter,
  { catalog, ids }: KnownIds,
  phases: Phases,
): Promise<StagedFile | null> {
  const bulk = (await stat(join(dir, spec.name))).size >= DIRECT_BULK_MIN_BYTES;
  const dropped = bulk
    ? await phases.time("drop score indexes", () =>
        dropIndexes(client, "score", { keepPrimaryKey: true }),
      )
    : null;
  const customers = ids ?? (await phases.time("load customer ids", () => loadCustomerIds(client)));
  // problems of this attempt only: any of them sends the file through staging, which finds them
  // all again (and the set-based ones with them)
  const problems = new ProblemLog();
  // binary: Node has parsed every number to its double already, and the server then need not
  const copy = {
    sql: `COPY score (customer_id, offer_id, channel_id, probability, value, cost, attributes)
          FROM STDIN (FORMAT binary)`,
    binary: true,
  };
  const staged = await phases.time("read + copy scores.csv into score", () =>
    stageFile(client, dir, spec, tables, problems, progress, { catalog, customers }, null, copy),
  );
  if (!problems.empty) return null;
  if (dropped)
    await phases.time("rebuild score indexes", () =>
      recreateIndexes(client, dropped, (sql, seconds) =>
        phases.add(`build ${statementName(sql)}`, seconds),
      ),
    );
  await phases.time("analyze score", () => client.query("ANALYZE score"));
  return staged;
}
