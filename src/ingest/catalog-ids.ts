// Database ids of the channels and offers, looked up straight from the bytes of a score row.
// The catalogs hold a handful of rows, so resolving them here (rather than with two more hash
// joins over millions of staged rows) is cheap, and an unknown id is reported with its exact line.
import type { PoolClient } from "pg";

/** what ByteIdMap.get() returns for an id it does not hold */
export const UNKNOWN_ID = -1;

/** external id → database id, keyed by UTF-8 bytes */
export class ByteIdMap {
  private readonly buckets = new Map<number, { key: Buffer; id: number }[]>();

  set(externalId: string, id: number): void {
    const key = Buffer.from(externalId, "utf8");
    const h = hashBytes(key, 0, key.length);
    const bucket = this.buckets.get(h) ?? [];
    const at = bucket.findIndex((b) => b.key.equals(key));
    if (at >= 0) bucket[at] = { key, id };
    else bucket.push({ key, id });
    this.buckets.set(h, bucket);
  }

  /** the id of buf[s, e), or UNKNOWN_ID */
  get(buf: Buffer, s: number, e: number): number {
    const bucket = this.buckets.get(hashBytes(buf, s, e));
    if (!bucket) return UNKNOWN_ID;
    for (const b of bucket) {
      if (b.key.length === e - s && buf.compare(b.key, 0, b.key.length, s, e) === 0) return b.id;
    }
    return UNKNOWN_ID;
  }
}

function hashBytes(buf: Buffer, s: number, e: number): number {
  // FNV-1a
  let h = 0x811c9dc5;
  for (let i = s; i < e; i++) h = Math.imul(h ^ buf[i]!, 0x01000193);
  return h >>> 0;
}

export interface CatalogIds {
  offers: ByteIdMap;
  channels: ByteIdMap;
}

/**
 * Ids of every stored channel and offer, plus the ids `staged` in this import's files that are
 * not stored yet. The latter happens only when the catalog could not be merged because of
 * problems: their ids are then distinct negative placeholders (-2, -3, …) that keep the staged
 * score rows apart for the duplicate check, and nothing will be written anyway.
 */
export async function loadCatalogIds(
  client: PoolClient,
  staged?: { channel: string; offer: string },
): Promise<CatalogIds> {
  const load = async (table: string, stagedTable?: string) => {
    const map = new ByteIdMap();
    const extra = stagedTable
      ? `UNION ALL
         SELECT -1 - row_number() OVER (ORDER BY external_id), external_id
         FROM (SELECT DISTINCT external_id FROM ${stagedTable} s
               WHERE NOT EXISTS (SELECT 1 FROM ${table} t WHERE t.external_id = s.external_id)) n`
      : "";
    const { rows } = await client.query<{ id: string; external_id: string }>(
      `SELECT id, external_id FROM ${table} ${extra}`,
    );
    for (const r of rows) map.set(r.external_id, Number(r.id));
    return map;
  };
  return {
    channels: await load("channel", staged?.channel),
    offers: await load("offer", staged?.offer),
  };
}
