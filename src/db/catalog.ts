// Offers and channels as the API and the services show them: external ids, names, limits and, per
// offer, the channels it may go through (all of them when the offer says so).
import type { Queryable } from "./handle";

export interface Channel {
  dbId: number;
  id: string;
  name: string | null;
  costPerContact: number;
  capacity: number | null;
  responseFactor: number;
}

export interface Offer {
  dbId: number;
  id: string;
  name: string | null;
  category: string | null;
  minVolume: number;
  maxVolume: number | null;
  /** database ids of the channels it may go through */
  channelDbIds: number[];
}

/** Both lists in external-id order; on a client in a transaction, both from its snapshot. */
export async function readOffersAndChannels(
  db: Queryable,
): Promise<{ offers: Offer[]; channels: Channel[] }> {
  const [channels, offers] = await Promise.all([
    db.query<{
      id: number;
      external_id: string;
      name: string | null;
      cost_per_contact: number;
      capacity: number | null;
      response_factor: number;
    }>(
      `SELECT id, external_id, name, cost_per_contact, capacity, response_factor
       FROM channel ORDER BY external_id`,
    ),
    db.query<{
      id: number;
      external_id: string;
      name: string | null;
      category: string | null;
      min_volume: number;
      max_volume: number | null;
      channel_ids: number[];
    }>(
      `SELECT o.id, o.external_id, o.name, o.category, o.min_volume, o.max_volume,
              CASE WHEN o.all_channels THEN ARRAY(SELECT id FROM channel ORDER BY external_id)
                   ELSE ARRAY(SELECT c.id FROM offer_channel oc JOIN channel c ON c.id = oc.channel_id
                              WHERE oc.offer_id = o.id ORDER BY c.external_id) END AS channel_ids
       FROM offer o ORDER BY o.external_id`,
    ),
  ]);
  return {
    channels: channels.rows.map((c) => ({
      dbId: c.id,
      id: c.external_id,
      name: c.name,
      costPerContact: c.cost_per_contact,
      capacity: c.capacity,
      responseFactor: c.response_factor,
    })),
    offers: offers.rows.map((o) => ({
      dbId: o.id,
      id: o.external_id,
      name: o.name,
      category: o.category,
      minVolume: o.min_volume,
      maxVolume: o.max_volume,
      channelDbIds: o.channel_ids,
    })),
  };
}
