// Score calibrations and their factors.
import type { ScoreCalibration, ScoreCalibrationFactor } from "../generated/prisma/client";
import type { PrismaClient } from "./prisma";

export function calibrationById(
  prisma: PrismaClient,
  id: number,
): Promise<ScoreCalibration | null> {
  return prisma.scoreCalibration.findUnique({ where: { id } });
}

/** For an id just written: its absence is a bug, not a client's mistake. */
export function calibrationByIdOrThrow(
  prisma: PrismaClient,
  id: number,
): Promise<ScoreCalibration> {
  return prisma.scoreCalibration.findUniqueOrThrow({ where: { id } });
}

export function calibrationFactors(
  prisma: PrismaClient,
  calibrationId: number,
): Promise<ScoreCalibrationFactor[]> {
  return prisma.scoreCalibrationFactor.findMany({
    where: { calibrationId },
    orderBy: [{ segment: "asc" }, { offerId: "asc" }, { channelId: "asc" }],
  });
}
