// The plan export of the data contract: customer_id,offer_id,channel_id,expected_return,cost, and
// `group` (treatment or control) for a plan that held out a control group, and `wave` for a
// campaign calendar.
import { createWriteStream } from "node:fs";
import { rename, rm } from "node:fs/promises";
import type { Pool } from "pg";
import { assignmentCount, copyPlanExport, exportColumns, exportShape } from "../db/plan-export";

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
  const shape = await exportShape(pool, planId);
  if (!shape) throw new Error(`plan ${planId} does not exist`);
  if (shape.status !== "SUCCEEDED")
    throw new Error(`plan ${planId} is ${shape.status}, only a SUCCEEDED plan has assignments`);
  const tmp = `${file}.partial`;
  try {
    await copyPlanExport(pool, planId, exportColumns(shape, opts.rawCsv ?? false), () =>
      createWriteStream(tmp),
    );
    await rename(tmp, file);
    return await assignmentCount(pool, planId);
  } catch (e) {
    await rm(tmp, { force: true });
    throw e;
  }
}
