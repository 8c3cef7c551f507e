// What is loaded: the numbers a newcomer and an analyst check first after an import.
import type { Pool } from "pg";

export interface DatasetSummary {
  customers: number;
  doNotContact: number;
  scoreRows: number;
  eligibleOptions: number;
  segments: { segment: string; customers: number; doNotContact: number }[];
  channels: {
    id: string;
    name: string | null;
    costPerContact: number;
    capacity: number | null;
    responseFactor: number;
    eligibleOptions: number;
  }[];
  offers: {
    id: string;
    name: string | null;
    category: string | null;
    minVolume: number;
    maxVolume: number | null;
    channels: string[];
    eligibleCustomers: number;
    meanExpectedReturn: number;
  }[];
}

export async function datasetSummary(pool: Pool): Promise<DatasetSummary> {
  const [totals, segments, channels, offers, optionsByOffer] = await Promise.all([
    pool.query<{ customers: string; dnc: string; scores: string }>(
      `SELECT (SELECT count(*) FROM customer) AS customers,
              (SELECT count(*) FROM customer WHERE do_not_contact) AS dnc,
              (SELECT count(*) FROM score) AS scores`,
    ),
    pool.query<{ segment: string; customers: string; dnc: string }>(
      `SELECT coalesce(segment, '') AS segment, count(*) AS customers,
              count(*) FILTER (WHERE do_not_contact) AS dnc
       FROM customer GROUP BY 1 ORDER BY 1`,
    ),
    pool.query<{
      id: number;
      external_id: string;
      name: string | null;
      cost_per_contact: number;
      capacity: number | null;
      response_factor: number;
    }>(
      `SELECT id, external_id, name, cost_per_contact, capacity, response_factor FROM channel ORDER BY external_id`,
    ),
    pool.query<{
      id: number;
      external_id: string;
      name: string | null;
      category: string | null;
      min_volume: number;
      max_volume: number | null;
      channels: string[];
    }>(
      `SELECT o.id, o.external_id, o.name, o.category, o.min_volume, o.max_volume,
              CASE WHEN o.all_channels THEN ARRAY(SELECT external_id FROM channel ORDER BY external_id)
                   ELSE ARRAY(SELECT c.external_id FROM offer_channel oc JOIN channel c ON c.id = oc.channel_id
                              WHERE oc.offer_id = o.id ORDER BY c.external_id) END AS channels
       FROM offer o ORDER BY o.external_id`,
    ),
    pool.query<{
      offer_id: number;
      channel_id: number;
      options: string;
      customers: string;
      mean_return: number;
    }>(
      `SELECT offer_id, channel_id, count(*) AS options, count(DISTINCT customer_id) AS customers,
              avg(expected_return) AS mean_return
       FROM eligible_option GROUP BY GROUPING SETS ((offer_id, channel_id), (offer_id))`,
    ),
  ]);
  const t = totals.rows[0]!;
  const byChannel = new Map<number, number>();
  const byOffer = new Map<number, { customers: number; mean: number }>();
  let eligibleOptions = 0;
  for (const r of optionsByOffer.rows) {
    if (r.channel_id === null) {
      byOffer.set(r.offer_id, { customers: Number(r.customers), mean: r.mean_return });
    } else {
      byChannel.set(r.channel_id, (byChannel.get(r.channel_id) ?? 0) + Number(r.options));
      eligibleOptions += Number(r.options);
    }
  }
  return {
    customers: Number(t.customers),
    doNotContact: Number(t.dnc),
    scoreRows: Number(t.scores),
    eligibleOptions,
    segments: segments.rows.map((r) => ({
      segment: r.segment,
      customers: Number(r.customers),
      doNotContact: Number(r.dnc),
    })),
    channels: channels.rows.map((c) => ({
      id: c.external_id,
      name: c.name,
      costPerContact: c.cost_per_contact,
      capacity: c.capacity,
      responseFactor: c.response_factor,
      eligibleOptions: byChannel.get(c.id) ?? 0,
    })),
    offers: offers.rows.map((o) => ({
      id: o.external_id,
      name: o.name,
      category: o.category,
      minVolume: o.min_volume,
      maxVolume: o.max_volume,
      channels: o.channels,
      eligibleCustomers: byOffer.get(o.id)?.customers ?? 0,
      meanExpectedReturn: byOffer.get(o.id)?.mean ?? 0,
    })),
  };
}
