// Stored analyses and their points.
import type { Analysis, AnalysisKind, AnalysisPoint } from "../generated/prisma/client";
import type { PrismaClient } from "./prisma";

export function analysisById(prisma: PrismaClient, id: number): Promise<Analysis | null> {
  return prisma.analysis.findUnique({ where: { id } });
}

/** Newest first, of one kind and/or one constraint set when given. */
export function listAnalyses(
  prisma: PrismaClient,
  filter: { kind?: AnalysisKind; constraintSetId?: number },
  take: number,
): Promise<Analysis[]> {
  return prisma.analysis.findMany({
    where: {
      ...(filter.kind ? { kind: filter.kind } : {}),
      ...(filter.constraintSetId !== undefined
        ? { constraintSetVersion: { constraintSetId: filter.constraintSetId } }
        : {}),
    },
    orderBy: { id: "desc" },
    take,
  });
}

export function analysisPoints(prisma: PrismaClient, analysisId: number): Promise<AnalysisPoint[]> {
  return prisma.analysisPoint.findMany({
    where: { analysisId },
    orderBy: { pointIndex: "asc" },
  });
}
