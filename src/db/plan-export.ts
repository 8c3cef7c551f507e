// The SQL of the plan export (services/plan-export.ts): which optional columns a plan has, and
// its rows of the plan_export view streamed out as CSV by COPY.
import { pipeline } from "node:stream/promises";
import type { Pool } from "pg";
import { to as copyTo } from "pg-copy-streams";
import { neutraliseTextSql } from "../reports/csv-cells";

/** A plan's status and the optional columns its export has; undefined when there is no plan. */
export interface ExportShape {
  status: string;
  /** it held out a control group: the export has `group` */
  holdout: boolean;
  /** a campaign calendar: the export has `wave` */
  calendar: boolean;
}

export async function exportShape(pool: Pool, planId: number): Promise<ExportShape | undefined> {
  const status = await pool.query<ExportShape>(
    `SELECT status, COALESCE((parameters ->> 'controlShare')::float8 > 0, false) AS holdout,
            EXISTS (SELECT 1 FROM plan_assignment WHERE plan_id = $1 AND wave IS NOT NULL) AS calendar
     FROM plan WHERE id = $1`,
    [planId],
  );
  return status.rows[0];
}

/** The export's select list; `rawCsv` leaves the ids as stored (no formula neutralisation). */
export function exportColumns(shape: ExportShape, rawCsv: boolean): string {
  // ids and wave names come from customers' files and constraint sets: text for a spreadsheet;
  // the group is ours, the amounts are numbers
  const text = (column: string) => (rawCsv ? column : `${neutraliseTextSql(column)} AS ${column}`);
  return (
    `${text("customer_id")}, ${text("offer_id")}, ${text("channel_id")}, expected_return, cost` +
    (shape.holdout ? ', "group"' : "") +
    (shape.calendar ? `, ${text("wave")}` : "")
  );
}

/**
 * The plan's export rows as CSV with a header, into the stream `open` makes (once the COPY has
 * started); resolves when the stream has them all.
 */
export async function copyPlanExport(
  pool: Pool,
  planId: number,
  columns: string,
  open: () => NodeJS.WritableStream,
): Promise<void> {
  const client = await pool.connect();
  try {
    const copy = client.query(
      copyTo(
        `COPY (SELECT ${columns} FROM plan_export
               WHERE plan_id = ${Number(planId)} ORDER BY plan_export.customer_id, plan_export.offer_id)
         TO STDOUT (FORMAT csv, HEADER true)`,
      ),
    );
    await pipeline(copy, open());
  } finally {
    client.release();
  }
}

export async function assignmentCount(pool: Pool, planId: number): Promise<number> {
  const n = await pool.query<{ n: string }>(
    "SELECT count(*) AS n FROM plan_assignment WHERE plan_id = $1",
    [planId],
  );
  return Number(n.rows[0]!.n);
}
