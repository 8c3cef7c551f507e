// The plan export of the data contract: customer_id,offer_id,channel_id,expected_return,cost, and
// `group` (treatment or control) for a plan that held out a control group, and `wave` for a
// campaign calendar.
import { createWriteStream } from "node:fs";
import { rename, rm } from "node:fs/promises";
import { pipeline } from "node:stream/promises";
import type { Pool } from "pg";
import { to as copyTo } from "pg-copy-streams";
import { neutraliseTextSql } from "../reports/csv-cells";

export interface ExportOptions {
  /** ids as stored, for machine consumers: no spreadsheet-formula neutralisation */
  rawCsv?: boolean;
}

/** Streams a plan's assignments to a CSV file (written to a temporary name, then renamed). */
export async function exportPlan(
  pool: Pool,
  planId: number,
  file: string,
  opts: ExportOptions = {},
): Promise<number> {
  const status = await pool.query<{ status: string; holdout: boolean; calendar: boolean }>(
    `SELECT status, COALESCE((parameters ->> 'controlShare')::float8 > 0, false) AS holdout,
            EXISTS (SELECT 1 FROM plan_assignment WHERE plan_id = $1 AND wave IS NOT NULL) AS calendar
     FROM plan WHERE id = $1`,
    [planId],
  );
  if (!status.rows[0]) throw new Error(`plan ${planId} does not exist`);
  if (status.rows[0].status !== "SUCCEEDED")
    throw new Error(
      `plan ${planId} is ${status.rows[0].status}, only a SUCCEEDED plan has assignments`,
    );
  // ids and wave names come from customers' files and constraint sets: text for a spreadsheet;
  // the group is ours, the amounts are numbers
  const text = (column: string) =>
    opts.rawCsv ? column : `${neutraliseTextSql(column)} AS ${column}`;
  const columns =
    `${text("customer_id")}, ${text("offer_id")}, ${text("channel_id")}, expected_return, cost` +
    (status.rows[0].holdout ? ', "group"' : "") +
    (status.rows[0].calendar ? `, ${text("wave")}` : "");
  const client = await pool.connect();
  const tmp = `${file}.partial`;
  try {
    const copy = client.query(
      copyTo(
        `COPY (SELECT ${columns} FROM plan_export
               WHERE plan_id = ${Number(planId)} ORDER BY plan_export.customer_id, plan_export.offer_id)
         TO STDOUT (FORMAT csv, HEADER true)`,
      ),
    );
    await pipeline(copy, createWriteStream(tmp));
    await rename(tmp, file);
    const n = await client.query<{ n: string }>(
      "SELECT count(*) AS n FROM plan_assignment WHERE plan_id = $1",
      [planId],
    );
    return Number(n.rows[0]!.n);
  } catch (e) {
    await rm(tmp, { force: true });
    throw e;
  } finally {
    client.release();
  }
}
