// Campaign results: Plan.results, response imports and score calibrations (ADMIN to write). The
// statistics come from src/services/results.ts; here ids are parsed and relations resolved.
import type { ResultLevel as Level } from "../../results";
import { requireRole } from "../../auth";
import { ImportError, NotFoundError } from "../../services/errors";
import { RESPONSES_FILE } from "../../services/imports";
import {
  calibrationById,
  calibrationByIdOrThrow,
  calibrationFactors,
} from "../../services/record-reads";
import { importPlanResponses, planResults, recalibrateFromPlan } from "../../services/results";
import type { PlanResolvers, ResultLevel, Resolvers } from "../__generated__/resolvers";
import { userError } from "../errors";
import { importTarget } from "../import-root";
import { globalId, parseId } from "../global-id";

const LEVELS: Record<Level, ResultLevel> = {
  total: "TOTAL",
  segment: "SEGMENT",
  offer: "OFFER",
  channel: "CHANNEL",
  cell: "CELL",
};

/** Spread into the Plan resolvers (src/graphql/resolvers/plans.ts): one map per type. */
export const planResultsResolvers: Pick<PlanResolvers, "results"> = {
  results: (p, _a, ctx) => (p.status === "SUCCEEDED" ? planResults(ctx.pool, p.id) : null),
};

export const resultsResolvers: Resolvers = {
  Query: {
    scoreCalibration: (_p, { id }, ctx) =>
      calibrationById(ctx.prisma, parseId(id, "id", "ScoreCalibration")),
  },
  Mutation: {
    importResponses: async (_p, args, ctx) => {
      requireRole(ctx.caller, "ADMIN");
      const planId = parseId(args.planId, "planId", "Plan");
      const target = await importTarget(ctx, args.path, "path", [RESPONSES_FILE]);
      try {
        const r = await importPlanResponses(ctx.pool, planId, target.path, {
          importedBy: ctx.caller.name,
        });
        ctx.log.info({ planId, importId: r.importId, rows: r.rowsRead }, "responses imported");
        return {
          ...r,
          file: target.shown(r.file),
          importId: String(r.importId),
          planId: globalId("Plan", r.planId),
          changed: r.inserted > 0 || r.updated > 0,
        };
      } catch (caught) {
        const e = target.hide(caught);
        // the problems are the file's; the argument at fault is `path`, not importDataset's `dir`
        if (e instanceof ImportError)
          throw userError("BAD_USER_INPUT", e.message, {
            field: "path",
            total: e.total,
            problems: e.problems,
          });
        throw e;
      }
    },
    recalibrateScores: async (_p, args, ctx) => {
      requireRole(ctx.caller, "ADMIN");
      const planId = parseId(args.planId, "planId", "Plan");
      const r = await recalibrateFromPlan(ctx.pool, planId, {
        priorStrength: args.priorStrength ?? undefined,
        createdBy: ctx.caller.name,
      });
      ctx.log.info({ planId, calibrationId: r.calibrationId }, "scores recalibrated");
      return calibrationByIdOrThrow(ctx.prisma, r.calibrationId);
    },
  },
  PlanResults: {
    calibrationId: (r) =>
      r.calibrationId === null ? null : globalId("ScoreCalibration", r.calibrationId),
  },
  ResultRow: {
    level: (r) => LEVELS[r.level],
    offer: async (r, _a, ctx) =>
      r.offer === null
        ? null
        : ((await ctx.loaders.catalog()).offerByExternalId.get(r.offer) ?? null),
    channel: async (r, _a, ctx) =>
      r.channel === null
        ? null
        : ((await ctx.loaders.catalog()).channelByExternalId.get(r.channel) ?? null),
  },
  ScoreCalibration: {
    id: (c) => globalId("ScoreCalibration", c.id),
    sourcePlan: async (c, _a, ctx) => {
      const plan = await ctx.loaders.plan.load(c.sourcePlanId);
      if (!plan) throw new NotFoundError(`plan ${c.sourcePlanId} does not exist`);
      return plan;
    },
    baseCalibrationId: (c) =>
      c.baseCalibrationId === null ? null : globalId("ScoreCalibration", c.baseCalibrationId),
    factors: (c, _a, ctx) => calibrationFactors(ctx.prisma, c.id),
  },
  CalibrationFactor: {
    segment: (f) => (f.segment === "" ? null : f.segment),
    offer: async (f, _a, ctx) => (await ctx.loaders.catalog()).offers.get(f.offerId)!,
    channel: async (f, _a, ctx) => (await ctx.loaders.catalog()).channels.get(f.channelId)!,
  },
};
