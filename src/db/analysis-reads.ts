// Stored analyses and their points.
import type { Analysis, AnalysisKind, AnalysisPoint } from "../generated/prisma/client";
import type { Pool } from "pg";
import type { KeysetPage } from "../domain/keyset";
import { keysetSql } from "./keyset";
import type { PrismaClient } from "./prisma";

export function analysisById(prisma: PrismaClient, id: number): Promise<Analysis | null> {
  return prisma.analysis.findUnique({ where: { id } });
}

/** An analysis row as Prisma reads it. */
export const ANALYSIS_COLUMNS = `id, kind, constraint_set_version_id AS "constraintSetVersionId",
  status, method, parameters, progress, phase, failed_in_phase AS "failedInPhase",
  run_by AS "runBy", error, requested_by AS "requestedBy", created_at AS "createdAt",
  started_at AS "startedAt", finished_at AS "finishedAt"`;

/** What analyses can be sorted by; each order ends in the analysis id. */
export type AnalysisOrderField = "CREATED_AT";

export const analysisSortKey = (a: Analysis): (string | number)[] => [
  a.createdAt.toISOString(),
  a.id,
];

/** A keyset page of analyses in `order`, of one kind and/or constraint set, and how many match. */
export async function listAnalyses(
  pool: Pool,
  filter: { kind?: AnalysisKind; constraintSetId?: number },
  order: { field: AnalysisOrderField; descending: boolean },
  page: KeysetPage,
): Promise<{ rows: Analysis[]; totalCount: number }> {
  const only = `($1::text IS NULL OR kind::text = $1)
    AND ($2::int IS NULL OR constraint_set_version_id IN
         (SELECT id FROM constraint_set_version WHERE constraint_set_id = $2))`;
  const filterParams = [filter.kind ?? null, filter.constraintSetId ?? null];
  const params: unknown[] = [...filterParams];
  const ks = keysetSql(["created_at", "id"], order.descending, page, params);
  const [rows, count] = await Promise.all([
    pool.query<Analysis>(
      `SELECT ${ANALYSIS_COLUMNS}
       FROM analysis WHERE ${only} AND ${ks.where}
       ORDER BY ${ks.orderBy} LIMIT $${params.length}`,
      params,
    ),
    pool.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM analysis WHERE ${only}`,
      filterParams,
    ),
  ]);
  return { rows: rows.rows, totalCount: count.rows[0]!.n };
}

export function analysisPoints(prisma: PrismaClient, analysisId: number): Promise<AnalysisPoint[]> {
  return prisma.analysisPoint.findMany({
    where: { analysisId },
    orderBy: { pointIndex: "asc" },
  });
}
