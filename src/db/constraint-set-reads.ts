// Constraint sets and their versions, read by id in batches (the API's loaders) or listed.
import type { ConstraintSet, ConstraintSetVersion } from "../generated/prisma/client";
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

export function listConstraintSets(
  prisma: PrismaClient,
  includeArchived: boolean,
): Promise<ConstraintSet[]> {
  return prisma.constraintSet.findMany({
    where: includeArchived ? {} : { archivedAt: null },
    orderBy: { id: "asc" },
  });
}
