// Constraint sets and their immutable versions: the writes of a new set or version, in the
// caller's transaction (services/constraint-sets.ts decides and audits). Reads that need no
// transaction are in constraint-set-reads.ts.
import type { PoolClient } from "pg";

/** A set's name is taken: names are unique without regard to case (a unique index on lower(name)). */
export function isNameTaken(e: unknown): boolean {
  const err = e as { code?: unknown; constraint?: unknown } | null;
  return err?.code === "23505" && err.constraint === "constraint_set_name_key";
}

export async function insertConstraintSet(client: PoolClient, name: string): Promise<number> {
  const { rows } = await client.query<{ id: number }>(
    "INSERT INTO constraint_set (name) VALUES ($1) RETURNING id",
    [name],
  );
  return rows[0]!.id;
}

export interface NewVersion {
  constraintSetId: number;
  version: number;
  definition: unknown;
  createdBy: string | null;
  note: string | null;
}

/** Stores the version; returns its id. */
export async function insertVersion(client: PoolClient, v: NewVersion): Promise<number> {
  const { rows } = await client.query<{ id: number }>(
    `INSERT INTO constraint_set_version (constraint_set_id, version, definition, created_by, note)
     VALUES ($1, $2, $3::jsonb, $4, $5) RETURNING id`,
    [v.constraintSetId, v.version, JSON.stringify(v.definition), v.createdBy, v.note],
  );
  return rows[0]!.id;
}

/**
 * The set's archive time, its row locked for the caller's transaction so that changes of one
 * set are serialised; null when the set does not exist.
 */
export async function lockConstraintSet(
  client: PoolClient,
  id: number,
): Promise<{ archivedAt: Date | null } | null> {
  const { rows } = await client.query<{ archivedAt: Date | null }>(
    `SELECT archived_at AS "archivedAt" FROM constraint_set WHERE id = $1 FOR UPDATE`,
    [id],
  );
  return rows[0] ?? null;
}

export interface StoredVersion {
  id: number;
  version: number;
  /** as stored: checked by the caller */
  definition: unknown;
}

/** The set's newest version (a set always has one). */
export async function latestVersion(
  client: PoolClient,
  constraintSetId: number,
): Promise<StoredVersion> {
  const { rows } = await client.query<StoredVersion>(
    `SELECT id, version, definition FROM constraint_set_version
     WHERE constraint_set_id = $1 ORDER BY version DESC LIMIT 1`,
    [constraintSetId],
  );
  return rows[0]!;
}

export async function renameConstraintSet(
  client: PoolClient,
  id: number,
  name: string,
): Promise<void> {
  await client.query("UPDATE constraint_set SET name = $2 WHERE id = $1", [id, name]);
}

/** Archives the set at `at`, or unarchives it (null). */
export async function setArchivedAt(
  client: PoolClient,
  id: number,
  at: Date | null,
): Promise<void> {
  await client.query("UPDATE constraint_set SET archived_at = $2 WHERE id = $1", [id, at]);
}
