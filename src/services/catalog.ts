// Offers and channels, indexed every way the callers look them up. Nearly every API request needs
// them, yet they change only with an import: one read is shared by all requests for
// CATALOG_TTL_MS, so an import shows up within that, and an import in this process drops it at once.
import type { Pool } from "pg";
import { readOffersAndChannels, type Channel, type Offer } from "../db/catalog";

export interface CatalogIndex {
  offers: Map<number, Offer>;
  channels: Map<number, Channel>;
  offerByExternalId: Map<string, Offer>;
  channelByExternalId: Map<string, Channel>;
  /** in external-id order */
  offerList: Offer[];
  channelList: Channel[];
}

export async function readCatalog(pool: Pool): Promise<CatalogIndex> {
  const { offers: offerList, channels: channelList } = await readOffersAndChannels(pool);
  return {
    offers: new Map(offerList.map((o) => [o.dbId, o])),
    channels: new Map(channelList.map((c) => [c.dbId, c])),
    offerByExternalId: new Map(offerList.map((o) => [o.id, o])),
    channelByExternalId: new Map(channelList.map((c) => [c.id, c])),
    offerList,
    channelList,
  };
}

const CATALOG_TTL_MS = 5_000;
const sharedCatalogs = new WeakMap<Pool, { at: number; catalog: Promise<CatalogIndex> }>();

export function cachedCatalog(pool: Pool): Promise<CatalogIndex> {
  const hit = sharedCatalogs.get(pool);
  if (hit && Date.now() - hit.at < CATALOG_TTL_MS) return hit.catalog;
  const catalog = readCatalog(pool);
  sharedCatalogs.set(pool, { at: Date.now(), catalog });
  catalog.catch(() => sharedCatalogs.delete(pool));
  return catalog;
}

/** After an import in this process, the next request reads the catalog afresh. */
export function invalidateCatalog(pool: Pool): void {
  sharedCatalogs.delete(pool);
}
