// What is loaded: the numbers a newcomer and an analyst check first after an import.
import type { Pool } from "pg";
import { readOffersAndChannels } from "../db/catalog";

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
  const [totals, segments, catalog, optionsByOffer] = await Promise.all([
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
    readOffersAndChannels(pool),
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
  const externalIdOf = new Map(catalog.channels.map((c) => [c.dbId, c.id]));
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
    channels: catalog.channels.map((c) => ({
      id: c.id,
      name: c.name,
      costPerContact: c.costPerContact,
      capacity: c.capacity,
      responseFactor: c.responseFactor,
      eligibleOptions: byChannel.get(c.dbId) ?? 0,
    })),
    offers: catalog.offers.map((o) => ({
      id: o.id,
      name: o.name,
      category: o.category,
      minVolume: o.minVolume,
      maxVolume: o.maxVolume,
      channels: o.channelDbIds.flatMap((id) => externalIdOf.get(id) ?? []),
      eligibleCustomers: byOffer.get(o.dbId)?.customers ?? 0,
      meanExpectedReturn: byOffer.get(o.dbId)?.mean ?? 0,
    })),
  };
}
