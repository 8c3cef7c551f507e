// Upsert of customers.csv by external id. The customer primary key stays in place throughout:
// score rows reference it. Duplicate ids in the file surface as a unique index that refuses them
// (first load) or through an aggregate over the staged ids (later loads, where a duplicate of an
// unchanged customer would otherwise go unnoticed).
import type { PoolClient } from "pg";
import { dropIndexes, recreateIndexes } from "./bulk-indexes";
import { isBulk, isEmpty, tableRows } from "./bulk-policy";
import type { MergeCounts } from "./merge-catalog";
import { failOnDuplicates, MergeConflict } from "./merge-conflict";
import { customersHaveDuplicates } from "./set-checks";
import type { StagingTables } from "./staging";

export async function mergeCustomers(
  client: PoolClient,
  t: StagingTables,
  staged: number,
): Promise<MergeCounts> {
  if (staged === 0) return { inserted: 0, updated: 0 };
  if (await isEmpty(client, "customer")) return firstLoad(client, t, staged);
  return deltaLoad(client, t);
}

async function firstLoad(
  client: PoolClient,
  t: StagingTables,
  staged: number,
): Promise<MergeCounts> {
  const inserted = await failOnDuplicates(client, "customer_load", async () => {
    const dropped = isBulk(staged, 0)
      ? await dropIndexes(client, "customer", { keepPrimaryKey: true })
      : null;
    const res = await client.query(
      `INSERT INTO customer (external_id, segment, do_not_contact, attributes)
       SELECT external_id, segment, do_not_contact, attributes FROM ${t.customer}`,
    );
    if (dropped) await recreateIndexes(client, dropped);
    return res.rowCount ?? 0;
  });
  // the score merge joins on customer next: the planner needs its new size
  await client.query("ANALYZE customer");
  return { inserted, updated: 0 };
}

async function deltaLoad(client: PoolClient, t: StagingTables): Promise<MergeCounts> {
  if (await customersHaveDuplicates(client, t)) throw new MergeConflict("duplicate customers");
  const existing = await tableRows(client, "customer");
  const delta = `${t.customer}_delta`;
  // new and changed rows only; id is the stored row to update (NULL = new)
  await client.query(
    `CREATE UNLOGGED TABLE ${delta} AS
     SELECT s.external_id, s.segment, s.do_not_contact, s.attributes, c.id
     FROM ${t.customer} s LEFT JOIN customer c ON c.external_id = s.external_id
     WHERE c.id IS NULL
        OR (c.segment, c.do_not_contact, c.attributes)
           IS DISTINCT FROM (s.segment, s.do_not_contact, s.attributes)`,
  );
  const { rows } = await client.query<MergeCounts>(
    `SELECT count(*) FILTER (WHERE id IS NULL)::int AS inserted,
            count(*) FILTER (WHERE id IS NOT NULL)::int AS updated
     FROM ${delta}`,
  );
  const counts = rows[0]!;
  const written = counts.inserted + counts.updated;
  if (written > 0) {
    const dropped = isBulk(written, existing)
      ? await dropIndexes(client, "customer", { keepPrimaryKey: true })
      : null;
    await client.query(
      `UPDATE customer c
       SET segment = d.segment, do_not_contact = d.do_not_contact, attributes = d.attributes,
           updated_at = now()
       FROM ${delta} d WHERE c.id = d.id`,
    );
    await client.query(
      `INSERT INTO customer (external_id, segment, do_not_contact, attributes)
       SELECT external_id, segment, do_not_contact, attributes FROM ${delta} WHERE id IS NULL`,
    );
    if (dropped) await recreateIndexes(client, dropped);
    if (written >= 0.1 * existing) await client.query("ANALYZE customer");
  }
  await client.query(`DROP TABLE ${delta}`);
  return counts;
}
