// An analysis's points, written in the one transaction that also marks the analysis SUCCEEDED:
// readers see all of its points or none.
import type { Pool } from "pg";
import type { AnalysisPoint } from "../optimize/analyses";
import { markRunSucceeded } from "./runs";
import { inTransaction } from "./transaction";

export async function writeAnalysisPoints(
  pool: Pool,
  id: number,
  points: AnalysisPoint[],
  runBy: string,
): Promise<void> {
  await inTransaction(pool, async (client) => {
    await client.query(
      `INSERT INTO analysis_point (analysis_id, point_index, label, parameter, value, expected_return,
         cost, roi, contacts, upper_bound, gap, dual, marginal_return, below_hurdle, constraint_report)
       SELECT $1, i - 1, p.label, p.parameter, p.value, p."expectedReturn", p.cost, p.roi, p.contacts,
              p."upperBound", p.gap, p.dual, p."marginalReturn", p."belowHurdle", p."constraintReport"
       FROM jsonb_array_elements($2::jsonb) WITH ORDINALITY AS e(j, i),
            jsonb_to_record(e.j) AS p(label text, parameter float8, value float8,
              "expectedReturn" float8, cost float8, roi float8, contacts int, "upperBound" float8,
              gap float8, dual float8, "marginalReturn" float8, "belowHurdle" boolean,
              "constraintReport" jsonb)`,
      // JSON has no Infinity: an unbounded value is stored as null
      [id, JSON.stringify(points, (_k, v: unknown) => (v === Infinity ? null : v))],
    );
    if (!(await markRunSucceeded(client, "analysis", id, runBy)))
      throw new Error(`analysis ${id} is no longer running`);
  });
}
