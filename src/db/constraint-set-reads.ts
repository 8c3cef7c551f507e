// Constraint sets and their versions, read by id in batches (the API's loaders) or listed.
import type { ConstraintSet, ConstraintSetVersion } from "../generated/prisma/client";
import type { Pool } from "pg";
import type { KeysetPage } from "../domain/keyset";
import { keysetSql } from "./keyset";
import type { PrismaClient } from "./prisma";

export function constraintSetsByIds(
  prisma: PrismaClient,
  ids: readonly number[],
): Promise<ConstraintSet[]> {
  return prisma.constraintSet.findMany({ where: { id: { in: [...ids] } } });
}

export function versionsByIds(
  prisma: PrismaClient,
  ids: readonly number[],
): Promise<ConstraintSetVersion[]> {
  return prisma.constraintSetVersion.findMany({ where: { id: { in: [...ids] } } });
}

/** The versions of these sets, newest first within each. */
export function versionsOfSets(
  prisma: PrismaClient,
  setIds: readonly number[],
): Promise<ConstraintSetVersion[]> {
  return prisma.constraintSetVersion.findMany({
    where: { constraintSetId: { in: [...setIds] } },
    orderBy: { version: "desc" },
  });
}

/** What constraint sets can be sorted by; each order ends in the set id. */
export type ConstraintSetOrderField = "NAME" | "CREATED_AT";
const SET_ORDER: Record<ConstraintSetOrderField, string[]> = {
  // names are unique ignoring case, so lower(name) alone would do; the id keeps every order total
  NAME: ["lower(name)", "id"],
  CREATED_AT: ["created_at", "id"],
};

export function constraintSetSortKey(
  s: ConstraintSet,
  field: ConstraintSetOrderField,
): (string | number)[] {
  return field === "NAME" ? [s.name.toLowerCase(), s.id] : [s.createdAt.toISOString(), s.id];
}

/** A keyset page of the sets in `order`, and how many there are. */
export async function listConstraintSets(
  pool: Pool,
  includeArchived: boolean,
  order: { field: ConstraintSetOrderField; descending: boolean },
  page: KeysetPage,
): Promise<{ rows: ConstraintSet[]; totalCount: number }> {
  const only = "($1 OR archived_at IS NULL)";
  const params: unknown[] = [includeArchived];
  const ks = keysetSql(SET_ORDER[order.field], order.descending, page, params);
  const [rows, count] = await Promise.all([
    pool.query<ConstraintSet>(
      `SELECT id, name, created_at AS "createdAt", archived_at AS "archivedAt"
       FROM constraint_set WHERE ${only} AND ${ks.where}
       ORDER BY ${ks.orderBy} LIMIT $${params.length}`,
      params,
    ),
    pool.query<{ n: number }>(`SELECT count(*)::int AS n FROM constraint_set WHERE ${only}`, [
      includeArchived,
    ]),
  ]);
  return { rows: rows.rows, totalCount: count.rows[0]!.n };
}

/** A keyset page of one set's versions, newest first, and how many it has. */
export async function versionsOfSet(
  pool: Pool,
  setId: number,
  page: KeysetPage,
): Promise<{ rows: ConstraintSetVersion[]; totalCount: number }> {
  const params: unknown[] = [setId];
  const ks = keysetSql(["version"], true, page, params);
  const [rows, count] = await Promise.all([
    pool.query<ConstraintSetVersion>(
      `SELECT id, constraint_set_id AS "constraintSetId", version, definition,
              created_at AS "createdAt", created_by AS "createdBy", note
       FROM constraint_set_version WHERE constraint_set_id = $1 AND ${ks.where}
       ORDER BY ${ks.orderBy} LIMIT $${params.length}`,
      params,
    ),
    pool.query<{ n: number }>(
      "SELECT count(*)::int AS n FROM constraint_set_version WHERE constraint_set_id = $1",
      [setId],
    ),
  ]);
  return { rows: rows.rows, totalCount: count.rows[0]!.n };
}
