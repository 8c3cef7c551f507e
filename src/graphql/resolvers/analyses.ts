// Strategic analyses: start one (a job, like a plan), read its points.
import type { Disaggregation, Method } from "../../optimize/types";
import { budgetSeries, createAnalysis, type AnalysisParameters } from "../../services/analyses";
import {
  analysisById,
  analysisPoints,
  analysisSortKey,
  listAnalyses,
} from "../../services/record-reads";
import type { AnalysisKind } from "../../services/records";
import { requireRole } from "../../auth";
import { storedAnalysisParameters } from "../../domain/stored-parameters";
import type { Resolvers } from "../__generated__/resolvers";
import { dbOf, type GraphQLContext } from "../context";
import type { ConstraintReportRow } from "../../optimize/types";
import { globalId, parseId } from "../global-id";
import { orderName, pageRequest, toPage, type CursorPart } from "../pagination";
import { versionToRun } from "./plans";

interface RunInput {
  constraintSetId?: string | null;
  constraintSetVersionId?: string | null;
  method?: string | null;
  clusters?: number | null;
  disaggregation?: string | null;
  seed?: number | null;
}

async function start(
  ctx: GraphQLContext,
  kind: AnalysisKind,
  input: RunInput,
  extra: Partial<AnalysisParameters>,
) {
  requireRole(ctx.caller, "ANALYST");
  const versionId = await versionToRun(ctx, input);
  const a = await createAnalysis(
    dbOf(ctx),
    kind,
    versionId,
    {
      method: (input.method ?? "CLUSTER_LP") as Method,
      clusters: input.clusters ?? undefined,
      disaggregation: (input.disaggregation ?? "GREEDY") as Disaggregation,
      seed: input.seed ?? 1,
      ...extra,
    },
    { requestedBy: ctx.caller.name, enqueue: true },
  );
  ctx.log.info({ analysisId: a.id, kind }, "analysis queued");
  return a;
}

export const analysisResolvers: Resolvers = {
  Query: {
    analysis: (_p, { id }, ctx) => analysisById(ctx.prisma, parseId(id, "id", "Analysis")),
    analyses: async (_p, { constraintSetId, kind, orderBy, ...args }, ctx) => {
      const order = orderBy ?? { field: "CREATED_AT", direction: "DESC" };
      const listOrder = { name: orderName(order), key: ["date", "int"] as CursorPart[] };
      const req = pageRequest(args, listOrder, ctx.budget, "Query.analyses");
      const { rows, totalCount } = await listAnalyses(
        ctx.pool,
        {
          kind: kind ?? undefined,
          constraintSetId:
            constraintSetId != null
              ? parseId(constraintSetId, "constraintSetId", "ConstraintSet")
              : undefined,
        },
        { field: order.field, descending: order.direction === "DESC" },
        req,
      );
      return { ...toPage(rows, req, analysisSortKey), totalCount };
    },
  },
  Mutation: {
    runBudgetFrontier: (_p, { input }, ctx) =>
      start(ctx, "BUDGET_FRONTIER", input, { budgets: budgetSeries(input) }),
    runCapacityPlanning: (_p, { input }, ctx) =>
      start(ctx, "CAPACITY", input, { channelId: input.channelId, capacities: input.capacities }),
    runOfferMinimumCost: (_p, { input }, ctx) => start(ctx, "OFFER_MINIMUMS", input, {}),
  },
  Analysis: {
    id: (a) => globalId("Analysis", a.id),
    parameters: (a) => storedAnalysisParameters(a.parameters),
    constraintSetVersion: async (a, _args, ctx) =>
      (await ctx.loaders.version.load(a.constraintSetVersionId))!,
    points: (a, _args, ctx) => (a.status === "SUCCEEDED" ? analysisPoints(ctx.prisma, a.id) : []),
  },
  AnalysisPoint: {
    index: (p) => p.pointIndex,
    constraintReport: (p) => p.constraintReport as unknown as ConstraintReportRow[],
  },
};
