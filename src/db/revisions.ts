// Input-data revisions: one counter per kind ('dataset' for customers, offers, channels and
// scores; 'history' for the contact history), bumped inside the transaction of every import that
// changes that data. A plan records the revisions it read; a plan whose revisions have moved on
// is stale, and a replay of it is refused (its inputs are gone).
import type { Pool, PoolClient } from "pg";

export type RevisionKind = "dataset" | "history";

export interface Revisions {
  dataset: number;
  history: number;
}

type Queryable = Pick<Pool, "query"> | Pick<PoolClient, "query">;

/** Moves `kind` on by one, in the caller's transaction; returns the new revision. */
export async function bumpRevision(client: PoolClient, kind: RevisionKind): Promise<number> {
  const { rows } = await client.query<{ revision: string }>(
    `UPDATE data_revision SET revision = revision + 1, changed_at = now() WHERE kind = $1
     RETURNING revision::text`,
    [kind],
  );
  return Number(rows[0]!.revision);
}

export async function currentRevisions(db: Queryable): Promise<Revisions> {
  const { rows } = await db.query<{ kind: RevisionKind; revision: string }>(
    "SELECT kind, revision::text FROM data_revision",
  );
  const of = (k: RevisionKind) => Number(rows.find((r) => r.kind === k)?.revision ?? 0);
  return { dataset: of("dataset"), history: of("history") };
}
