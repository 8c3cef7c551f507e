// Every relation the schema exposes is read through one of these per-request loaders: a page of
// N assignments costs one query for its customers, not N, and offers and channels come from one
// read of the (small) catalog. Keys are database ids.
import DataLoader from "dataloader";
import { cachedCatalog, type CatalogIndex } from "../services/catalog";
import type { Pool, PrismaClient } from "../services/db-handles";
import {
  constraintReports,
  customersByExternalIds,
  customersByIds,
  plansByIds,
  planSummaries,
  type ReportRow,
  type SummaryRow,
} from "../services/plan-reads";
import { constraintSetsByIds, versionsByIds, versionsOfSets } from "../services/record-reads";
import type {
  ConstraintSetModel,
  ConstraintSetVersionModel,
  CustomerModel,
  PlanModel,
} from "./models";

export type CatalogModels = CatalogIndex;
export type { SummaryRow };

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

export function createLoaders(pool: Pool, prisma: PrismaClient): Loaders {
  let catalog: Promise<CatalogModels> | null = null;
  return {
    catalog: () => (catalog ??= cachedCatalog(pool)),
    customer: new DataLoader(async (ids) =>
      byKey(ids, await customersByIds(pool, ids), (c) => c.dbId),
    ),
    customerByExternalId: new DataLoader(async (ids) =>
      byKey(ids, await customersByExternalIds(pool, ids), (c) => c.id),
    ),
    plan: new DataLoader(async (ids) => byKey(ids, await plansByIds(pool, ids), (p) => p.id)),
    constraintSet: new DataLoader(async (ids) =>
      byKey(ids, await constraintSetsByIds(prisma, ids), (s) => s.id),
    ),
    version: new DataLoader(async (ids) =>
      byKey(ids, await versionsByIds(prisma, ids), (v) => v.id),
    ),
    versionsBySet: new DataLoader(async (ids) =>
      groupByKey(ids, await versionsOfSets(prisma, ids), (v) => v.constraintSetId),
    ),
    constraintReport: new DataLoader(async (ids) =>
      groupByKey(ids, await constraintReports(pool, ids), (r) => r.plan_id),
    ),
    summary: new DataLoader(async (ids) =>
      groupByKey(ids, await planSummaries(pool, ids), (r) => r.planId),
    ),
  };
}
