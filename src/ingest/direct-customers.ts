// First load of customers.csv (the customer table is empty): the rows go straight into
// `customer`, each numbered in Node from the table's sequence as it is read, so that the score
// rows that follow find their customer's id in Node without asking the database
// (customer-ids.ts). No staging table and no INSERT … SELECT.
//
// As with scores (direct-scores.ts), only a clean file takes this path to the end: any problem in
// a row or a customer id given twice rolls the attempt back to its savepoint, and the caller reads
// the file through staging, whose checks report every problem with its line. The ids the attempt
// took from the sequence are then skipped, which ids allow.
import { stat } from "node:fs/promises";
import { join } from "node:path";
import { dropIndexes } from "./bulk-indexes";
import { BULK_MIN_ROWS } from "./bulk-policy";
import type { CatalogIds } from "./catalog-ids";
import { CustomerIdsBuilder, type CustomerIds } from "./customer-ids";
import { rebuildAndAnalyze, type DirectFile } from "./direct-file";
import { ProblemLog } from "./errors";
import { attempt } from "./merge-conflict";
import { stageFile, type StagedFile } from "./stage-file";

/**
 * A customer file at least this large holds at least about BULK_MIN_ROWS rows (a short row, such
 * as `C1,mass` plus its line break, takes ~8 bytes): the secondary indexes of `customer` are
 * then dropped before the COPY and built after.
 */
export const DIRECT_CUSTOMERS_BULK_MIN_BYTES = BULK_MIN_ROWS * 8;

const SAVEPOINT = "customer_direct";

export interface DirectCustomers {
  staged: StagedFile;
  /** every customer of the file, by external id */
  ids: CustomerIds;
  /**
   * What is left to do on the connection: the secondary indexes and the table's statistics. Left
   * to the caller, so that Node can read the next file while the server builds them; to be
   * called (once) before anything else is sent on the connection.
   */
  finish: () => Promise<void>;
}

/** The file loaded into `customer`; null when it was rolled back and must go through staging. */
export async function loadCustomersDirect(
  file: DirectFile,
  catalog: CatalogIds,
): Promise<DirectCustomers | null> {
  return attempt(file.client, SAVEPOINT, () => load(file, catalog));
}

async function load(file: DirectFile, catalog: CatalogIds): Promise<DirectCustomers | null> {
  const { client, dir, spec, tables, progress, phases } = file;
  const bulk = (await stat(join(dir, spec.name))).size >= DIRECT_CUSTOMERS_BULK_MIN_BYTES;
  const dropped = bulk
    ? await phases.time("drop customer indexes", () =>
        dropIndexes(client, "customer", { keepPrimaryKey: true }),
      )
    : null;
  // ids in file order from the sequence's next value; the sequence is moved past them after
  const { rows } = await client.query<{ first: number }>(
    "SELECT nextval(pg_get_serial_sequence('customer', 'id'))::int AS first",
  );
  const numbering = new CustomerIdsBuilder(rows[0]!.first);
  const problems = new ProblemLog();
  const copy = {
    sql: `COPY customer (id, external_id, segment, do_not_contact, attributes) FROM STDIN`,
    binary: false,
  };
  const context = { catalog, newCustomers: numbering };
  const staged = await phases.time("read + copy customers.csv into customer", () =>
    stageFile(client, dir, spec, tables, problems, progress, context, null, copy),
  );
  const ids = numbering.build();
  if (!problems.empty || ids.duplicates > 0) return null;
  if (numbering.size > 0)
    await client.query(`SELECT setval(pg_get_serial_sequence('customer', 'id'), $1)`, [
      rows[0]!.first + numbering.size - 1,
    ]);
  // the ids are numbered in Node and checked there for duplicates, byte for byte, as the unique
  // key compares them: its build cannot refuse a row, so it need not run within the attempt
  const finish = () => rebuildAndAnalyze(file, "customer", dropped);
  return { staged, ids, finish };
}
