// When a merge is large enough to drop the table's indexes and foreign keys first and build them
// again after. The decision is taken on the rows that will really be written (new + changed), not
// on the rows in the file: re-importing unchanged files must not rebuild anything.
import type { PoolClient } from "pg";

/** Below this many written rows, maintaining the indexes row by row is cheaper than rebuilding. */
export const BULK_MIN_ROWS = 100_000;
/** …and the written rows must be at least this share of the rows already in the table. */
export const BULK_MIN_SHARE = 0.15;

export function isBulk(writtenRows: number, existingRows: number): boolean {
  return writtenRows >= BULK_MIN_ROWS && writtenRows >= BULK_MIN_SHARE * existingRows;
}

/** Row count of a table: the planner's estimate when there is one, else an exact count. */
export async function tableRows(client: PoolClient, table: string): Promise<number> {
  const { rows } = await client.query<{ n: number }>(
    `SELECT reltuples::float8 AS n FROM pg_class WHERE oid = $1::regclass`,
    [table],
  );
  const estimate = rows[0]?.n ?? -1;
  if (estimate >= 0) return estimate;
  const counted = await client.query<{ n: string }>(`SELECT count(*) AS n FROM ${table}`);
  return Number(counted.rows[0]!.n);
}

export async function isEmpty(client: PoolClient, table: string): Promise<boolean> {
  const { rows } = await client.query<{ empty: boolean }>(
    `SELECT NOT EXISTS (SELECT 1 FROM ${table}) AS empty`,
  );
  return rows[0]!.empty;
}
