// Merge of scores.csv on (customer, offer, channel), channel NULL meaning "every channel". Offer
// and channel ids were resolved while reading; the customer id is joined here.
//
// Into an empty table (the first import) every staged row is new: one INSERT … SELECT, into the
// bare table when the load is large, then the indexes and foreign keys are built again. Duplicate
// rows surface as a unique index that cannot be built, unknown customers as fewer rows joined
// than staged; only then do the detailed checks run.
//
// Into a filled table the staged rows are first resolved to customer ids and checked for
// duplicates, then the new and changed rows are collected in a delta table; the indexes are
// dropped only when that delta is large, so re-importing unchanged files writes nothing at all.
//
// The primary key stays in place: score ids are appended in order, which measured cheaper than
// sorting 7.8M ids for a rebuild (the other indexes are the other way round).
import type { PoolClient } from "pg";
import { dropIndexes, recreateIndexes } from "./bulk-indexes";
import { isBulk, isEmpty, tableRows } from "./bulk-policy";
import type { MergeCounts } from "./merge-catalog";
import { failOnDuplicates, MergeConflict } from "./merge-conflict";
import type { StagingTables } from "./staging";

const COLUMNS = "customer_id, offer_id, channel_id, probability, value, cost, attributes";

export async function mergeScores(
  client: PoolClient,
  t: StagingTables,
  staged: number,
): Promise<MergeCounts> {
  if (staged === 0) return { inserted: 0, updated: 0 };
  if (await isEmpty(client, "score")) return firstLoad(client, t, staged);
  return deltaLoad(client, t, staged);
}

async function firstLoad(
  client: PoolClient,
  t: StagingTables,
  staged: number,
): Promise<MergeCounts> {
  const inserted = await failOnDuplicates(client, "score_load", async () => {
    const dropped = isBulk(staged, 0)
      ? await dropIndexes(client, "score", { keepPrimaryKey: true })
      : null;
    const res = await client.query(
      `INSERT INTO score (${COLUMNS})
       SELECT c.id, s.offer_id, s.channel_id, s.probability, s.value, s.cost, s.attributes
       FROM ${t.score} s JOIN customer c ON c.external_id = s.customer_external_id`,
    );
    // the inner join drops the rows whose customer is unknown
    if (res.rowCount !== staged) throw new MergeConflict("unknown customers");
    if (dropped) await recreateIndexes(client, dropped);
    return staged;
  });
  await client.query("ANALYZE score");
  return { inserted, updated: 0 };
}

async function deltaLoad(
  client: PoolClient,
  t: StagingTables,
  staged: number,
): Promise<MergeCounts> {
  const resolved = `${t.score}_resolved`;
  const delta = `${t.score}_delta`;
  const made = await client.query(
    `CREATE UNLOGGED TABLE ${resolved} AS
     SELECT c.id AS customer_id, s.offer_id, s.channel_id, s.probability, s.value, s.cost,
            s.attributes
     FROM ${t.score} s JOIN customer c ON c.external_id = s.customer_external_id`,
  );
  if (made.rowCount !== staged) throw new MergeConflict("unknown customers");
  // A unique index finds duplicate staged rows (unchanged ones never reach the delta, so they
  // must be looked for here) by sorting, where a GROUP BY over millions of keys would spill; and
  // with it both sides of the next join are read in key order.
  await failOnDuplicates(client, "score_duplicates", () =>
    client.query(
      `CREATE UNIQUE INDEX ${resolved}_key
       ON ${resolved} (customer_id, offer_id, channel_id) NULLS NOT DISTINCT`,
    ),
  );
  const existing = await tableRows(client, "score");
  // Merge join (or, for few rows, index lookups) on the two unique indexes: hashing millions of
  // stored scores measured twice as slow. The planner's setting is put back right after.
  const { rows: hashjoin } = await client.query<{ before: string }>(
    "SELECT current_setting('enable_hashjoin') AS before, set_config('enable_hashjoin', 'off', true)",
  );
  await client.query(
    `CREATE UNLOGGED TABLE ${delta} AS
     SELECT r.*, sc.id AS score_id
     FROM ${resolved} r
     LEFT JOIN score sc ON sc.customer_id = r.customer_id AND sc.offer_id = r.offer_id
                       AND sc.channel_id IS NOT DISTINCT FROM r.channel_id
     WHERE sc.id IS NULL
        OR (sc.probability, sc.value, sc.cost, sc.attributes)
           IS DISTINCT FROM (r.probability, r.value, r.cost, r.attributes)`,
  );
  await client.query("SELECT set_config('enable_hashjoin', $1, true)", [hashjoin[0]!.before]);
  const { rows } = await client.query<MergeCounts>(
    `SELECT count(*) FILTER (WHERE score_id IS NULL)::int AS inserted,
            count(*) FILTER (WHERE score_id IS NOT NULL)::int AS updated
     FROM ${delta}`,
  );
  const { inserted, updated } = rows[0]!;
  if (inserted + updated > 0) {
    const dropped = isBulk(inserted + updated, existing)
      ? await dropIndexes(client, "score", { keepPrimaryKey: true })
      : null;
    await client.query(
      `UPDATE score sc
       SET probability = d.probability, value = d.value, cost = d.cost, attributes = d.attributes
       FROM ${delta} d WHERE sc.id = d.score_id`,
    );
    await client.query(
      `INSERT INTO score (${COLUMNS}) SELECT ${COLUMNS} FROM ${delta} WHERE score_id IS NULL`,
    );
    if (dropped) await recreateIndexes(client, dropped);
    if (inserted + updated >= 0.1 * existing) await client.query("ANALYZE score");
  }
  await client.query(`DROP TABLE ${resolved}, ${delta}`);
  return { inserted, updated };
}
