// Every relation the schema exposes is read through one of these per-request loaders: a page of
// N assignments costs one query for its customers, not N, and offers and channels come from one
// read of the (small) catalog. Keys are database ids.
import DataLoader from "dataloader";
import type { Pool } from "pg";
import type { PrismaClient } from "../db/prisma";
import type { ReportRow } from "../db/plan-writer";
import type {
  ChannelModel,
  ConstraintSetModel,
  ConstraintSetVersionModel,
  CustomerModel,
  OfferModel,
  PlanModel,
} from "./models";

export interface CatalogModels {
  offers: Map<number, OfferModel>;
  channels: Map<number, ChannelModel>;
  offerByExternalId: Map<string, OfferModel>;
  channelByExternalId: Map<string, ChannelModel>;
  /** in external-id order */
  offerList: OfferModel[];
  channelList: ChannelModel[];
}

export interface SummaryRow {
  segment: string;
  offerDbId: number;
  channelDbId: number;
  contacts: number;
  expectedReturn: number;
  cost: number;
}

export interface Loaders {
  catalog(): Promise<CatalogModels>;
  customer: DataLoader<number, CustomerModel | null>;
  customerByExternalId: DataLoader<string, CustomerModel | null>;
  plan: DataLoader<number, PlanModel | null>;
  constraintSet: DataLoader<number, ConstraintSetModel | null>;
  version: DataLoader<number, ConstraintSetVersionModel | null>;
  versionsBySet: DataLoader<number, ConstraintSetVersionModel[]>;
  constraintReport: DataLoader<number, ReportRow[]>;
  summary: DataLoader<number, SummaryRow[]>;
}

interface CustomerRow {
  id: number;
  external_id: string;
  segment: string | null;
  do_not_contact: boolean;
  attributes: Record<string, unknown> | null;
}

const toCustomer = (r: CustomerRow): CustomerModel => ({
  dbId: r.id,
  id: r.external_id,
  segment: r.segment,
  doNotContact: r.do_not_contact,
  attributes: r.attributes,
});

function byKey<K, V>(keys: readonly K[], rows: V[], key: (v: V) => K): (V | null)[] {
  const m = new Map<K, V>();
  for (const r of rows) m.set(key(r), r);
  return keys.map((k) => m.get(k) ?? null);
}

function groupByKey<K, V>(keys: readonly K[], rows: V[], key: (v: V) => K): V[][] {
  const m = new Map<K, V[]>();
  for (const r of rows) {
    const k = key(r);
    const list = m.get(k);
    if (list) list.push(r);
    else m.set(k, [r]);
  }
  return keys.map((k) => m.get(k) ?? []);
}

export async function readCatalog(pool: Pool): Promise<CatalogModels> {
  const [channels, offers] = await Promise.all([
    pool.query<{
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
    pool.query<{
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
  const channelList: ChannelModel[] = channels.rows.map((c) => ({
    dbId: c.id,
    id: c.external_id,
    name: c.name,
    costPerContact: c.cost_per_contact,
    capacity: c.capacity,
    responseFactor: c.response_factor,
  }));
  const offerList: OfferModel[] = offers.rows.map((o) => ({
    dbId: o.id,
    id: o.external_id,
    name: o.name,
    category: o.category,
    minVolume: o.min_volume,
    maxVolume: o.max_volume,
    channelDbIds: o.channel_ids,
  }));
  return {
    offers: new Map(offerList.map((o) => [o.dbId, o])),
    channels: new Map(channelList.map((c) => [c.dbId, c])),
    offerByExternalId: new Map(offerList.map((o) => [o.id, o])),
    channelByExternalId: new Map(channelList.map((c) => [c.id, c])),
    offerList,
    channelList,
  };
}

/**
 * Offers and channels change only with an import, yet nearly every request needs them: one read
 * is shared by all requests for CATALOG_TTL_MS, so an import shows up in the API within that.
 */
const CATALOG_TTL_MS = 5_000;
const sharedCatalogs = new WeakMap<Pool, { at: number; catalog: Promise<CatalogModels> }>();

function cachedCatalog(pool: Pool): Promise<CatalogModels> {
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

export function createLoaders(pool: Pool, prisma: PrismaClient): Loaders {
  let catalog: Promise<CatalogModels> | null = null;
  return {
    catalog: () => (catalog ??= cachedCatalog(pool)),
    customer: new DataLoader(async (ids) => {
      const res = await pool.query<CustomerRow>(
        `SELECT id, external_id, segment, do_not_contact, attributes FROM customer
         WHERE id = ANY($1::int[])`,
        [ids],
      );
      return byKey(ids, res.rows.map(toCustomer), (c) => c.dbId);
    }),
    customerByExternalId: new DataLoader(async (ids) => {
      const res = await pool.query<CustomerRow>(
        `SELECT id, external_id, segment, do_not_contact, attributes FROM customer
         WHERE external_id = ANY($1::text[])`,
        [ids],
      );
      return byKey(ids, res.rows.map(toCustomer), (c) => c.id);
    }),
    // The plan row is read on nearly every request; through the pool it skips Prisma's query
    // compiler (a measurable share of a ~5 ms request).
    plan: new DataLoader(async (ids) => {
      const res = await pool.query<PlanModel>(
        `SELECT id, version_number AS "versionNumber",
                constraint_set_version_id AS "constraintSetVersionId", status, method, parameters,
                scenario, progress, phase, kpis, timings, error, created_at AS "createdAt",
                started_at AS "startedAt", finished_at AS "finishedAt", requested_by AS "requestedBy",
                membership_plan_id AS "membershipPlanId",
                -- Prisma reads these as bigint; numbers read the same through Number()
                dataset_revision::float8 AS "datasetRevision",
                history_revision::float8 AS "historyRevision", fingerprint, provenance,
                failed_in_phase AS "failedInPhase", replay_of AS "replayOfId"
         FROM plan WHERE id = ANY($1::int[])`,
        [ids],
      );
      return byKey(ids, res.rows, (p) => p.id);
    }),
    constraintSet: new DataLoader(async (ids) =>
      byKey(
        ids,
        await prisma.constraintSet.findMany({ where: { id: { in: [...ids] } } }),
        (s) => s.id,
      ),
    ),
    version: new DataLoader(async (ids) =>
      byKey(
        ids,
        await prisma.constraintSetVersion.findMany({ where: { id: { in: [...ids] } } }),
        (v) => v.id,
      ),
    ),
    versionsBySet: new DataLoader(async (ids) =>
      groupByKey(
        ids,
        await prisma.constraintSetVersion.findMany({
          where: { constraintSetId: { in: [...ids] } },
          orderBy: { version: "desc" },
        }),
        (v) => v.constraintSetId,
      ),
    ),
    constraintReport: new DataLoader(async (ids) => {
      const res = await pool.query<ReportRow & { plan_id: number }>(
        `SELECT plan_id, name, kind, sense, activity, bound, slack, dual, binding, report_only AS "reportOnly",
                cluster_lp_dual AS "clusterLpDual"
         FROM plan_constraint_report WHERE plan_id = ANY($1::int[]) ORDER BY plan_id, kind, name`,
        [ids],
      );
      return groupByKey(ids, res.rows, (r) => r.plan_id);
    }),
    summary: new DataLoader(async (ids) => {
      const res = await pool.query<SummaryRow & { planId: number }>(
        `SELECT plan_id AS "planId", segment, offer_id AS "offerDbId", channel_id AS "channelDbId",
                contacts, expected_return AS "expectedReturn", cost
         FROM plan_summary WHERE plan_id = ANY($1::int[])`,
        [ids],
      );
      return groupByKey(ids, res.rows, (r) => r.planId);
    }),
  };
}
