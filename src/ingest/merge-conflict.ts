// A merge that stopped on rows the detailed checks will explain (duplicates, unknown ids). The
// merges detect these the cheap way, from a unique index that refuses a row or from fewer rows
// joined than staged, and leave the explaining to the set-based checks.
import type { PoolClient } from "pg";

export class MergeConflict extends Error {}

const UNIQUE_VIOLATION = "23505";

export function isUniqueViolation(e: unknown): boolean {
  return typeof e === "object" && e !== null && (e as { code?: unknown }).code === UNIQUE_VIOLATION;
}

/**
 * Runs work under a savepoint; a unique violation rolls back to it (the transaction stays usable
 * for the checks) and becomes a MergeConflict.
 */
export async function failOnDuplicates<T>(
  client: PoolClient,
  label: string,
  work: () => Promise<T>,
): Promise<T> {
  await client.query(`SAVEPOINT ${label}`);
  try {
    const result = await work();
    await client.query(`RELEASE SAVEPOINT ${label}`);
    return result;
  } catch (e) {
    if (!isUniqueViolation(e)) throw e;
    await client.query(`ROLLBACK TO SAVEPOINT ${label}`);
    throw new MergeConflict(`duplicate rows (${label})`);
  }
}

/**
 * Runs an attempt under a savepoint: kept when it returns a value; rolled back to the savepoint,
 * leaving the transaction usable, when it returns null or a unique index refuses one of its rows.
 */
export async function attempt<T>(
  client: PoolClient,
  label: string,
  work: () => Promise<T | null>,
): Promise<T | null> {
  await client.query(`SAVEPOINT ${label}`);
  let result: T | null = null;
  try {
    result = await work();
  } catch (e) {
    if (!isUniqueViolation(e)) throw e;
  }
  await client.query(
    result === null ? `ROLLBACK TO SAVEPOINT ${label}` : `RELEASE SAVEPOINT ${label}`,
  );
  return result;
}
