// Upserts of the small catalog files, channels.csv and offers.csv, by external id. A row is only
// written when something in it differs (IS DISTINCT FROM), so updated_at moves only on a real
// change and a re-import of the same files writes nothing.
import type { PoolClient } from "pg";
import type { StagingTables } from "./staging";

export interface MergeCounts {
  inserted: number;
  updated: number;
}

interface CountRow {
  inserted: number;
  updated: number;
}

export async function mergeChannels(client: PoolClient, t: StagingTables): Promise<MergeCounts> {
  const { rows } = await client.query<CountRow>(
    `WITH upd AS (
       UPDATE channel c
       SET name = s.name, cost_per_contact = s.cost_per_contact, capacity = s.capacity,
           response_factor = s.response_factor, attributes = s.attributes, updated_at = now()
       FROM ${t.channel} s
       WHERE c.external_id = s.external_id
         AND (c.name, c.cost_per_contact, c.capacity, c.response_factor, c.attributes)
             IS DISTINCT FROM (s.name, s.cost_per_contact, s.capacity, s.response_factor, s.attributes)
       RETURNING 1
     ), ins AS (
       INSERT INTO channel (external_id, name, cost_per_contact, capacity, response_factor, attributes)
       SELECT external_id, name, cost_per_contact, capacity, response_factor, attributes
       FROM ${t.channel} s
       WHERE NOT EXISTS (SELECT 1 FROM channel c WHERE c.external_id = s.external_id)
       ORDER BY line
       RETURNING 1
     )
     SELECT (SELECT count(*) FROM ins)::int AS inserted, (SELECT count(*) FROM upd)::int AS updated`,
  );
  return rows[0]!;
}

/**
 * Offers, and offer_channel for every offer in the file: the file's list replaces the stored
 * one. An offer counts as updated when its row or its channel list changed.
 */
export async function mergeOffers(client: PoolClient, t: StagingTables): Promise<MergeCounts> {
  // the channel list of each offer in the file, as sorted channel ids
  const fileChannels = `
    SELECT x.offer_external_id, array_agg(DISTINCT ch.id ORDER BY ch.id) AS ids
    FROM ${t.offerChannel} x JOIN channel ch ON ch.external_id = x.channel_external_id
    GROUP BY x.offer_external_id`;
  const { rows } = await client.query<CountRow>(
    `WITH fc AS (${fileChannels}),
     upd AS (
       UPDATE offer o
       SET name = s.name, category = s.category, min_volume = s.min_volume,
           max_volume = s.max_volume, all_channels = s.all_channels, attributes = s.attributes,
           updated_at = now()
       FROM ${t.offer} s LEFT JOIN fc ON fc.offer_external_id = s.external_id
       WHERE o.external_id = s.external_id
         AND ((o.name, o.category, o.min_volume, o.max_volume, o.all_channels, o.attributes)
              IS DISTINCT FROM
              (s.name, s.category, s.min_volume, s.max_volume, s.all_channels, s.attributes)
           OR coalesce(fc.ids, '{}') IS DISTINCT FROM coalesce(
                (SELECT array_agg(oc.channel_id ORDER BY oc.channel_id)
                 FROM offer_channel oc WHERE oc.offer_id = o.id), '{}'))
       RETURNING 1
     ), ins AS (
       INSERT INTO offer (external_id, name, category, min_volume, max_volume, all_channels, attributes)
       SELECT external_id, name, category, min_volume, max_volume, all_channels, attributes
       FROM ${t.offer} s
       WHERE NOT EXISTS (SELECT 1 FROM offer o WHERE o.external_id = s.external_id)
       ORDER BY line
       RETURNING 1
     )
     SELECT (SELECT count(*) FROM ins)::int AS inserted, (SELECT count(*) FROM upd)::int AS updated`,
  );
  await client.query(
    `DELETE FROM offer_channel oc
     USING offer o, ${t.offer} s
     WHERE oc.offer_id = o.id AND o.external_id = s.external_id
       AND NOT EXISTS (
         SELECT 1 FROM ${t.offerChannel} x JOIN channel ch ON ch.external_id = x.channel_external_id
         WHERE x.offer_external_id = s.external_id AND ch.id = oc.channel_id)`,
  );
  await client.query(
    `INSERT INTO offer_channel (offer_id, channel_id)
     SELECT DISTINCT o.id, ch.id
     FROM ${t.offerChannel} x
     JOIN offer o ON o.external_id = x.offer_external_id
     JOIN channel ch ON ch.external_id = x.channel_external_id
     ON CONFLICT DO NOTHING`,
  );
  return rows[0]!;
}
