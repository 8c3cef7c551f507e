// Plans: list, run, cancel, and everything read from a stored plan. Reports come from the
// per-plan tables written in the plan's transaction (summary, constraint report), never from a
// scan of its assignments; assignment pages are keyset reads of the plan's own partition.
import { storedKpis } from "../../domain/stored-kpis";
import type { Prisma } from "../../generated/prisma/client";
import type { Disaggregation, Method } from "../../optimize/types";
import { ConflictError, InputError, NotFoundError } from "../../services/errors";
import {
  cancelPlan,
  createPlan,
  dataRevisions,
  replayBlocker,
  replayPlan,
} from "../../services/plans";
import { storedProvenance } from "../../domain/stored-provenance";
import { requireRole } from "../../auth";
import type {
  AssignmentFilter,
  PlanKpis,
  PlanTimings,
  Resolvers,
} from "../__generated__/resolvers";
import type { GraphQLContext } from "../context";
import type { AssignmentModel, PlanModel, ProportionModel } from "../models";
import { contractJson } from "./constraint-sets";
import { planResultsResolvers } from "./results";
import { planHistoryResolvers } from "./history";
import { decodeCursor, pageSize, parseId, toPage } from "../pagination";
import { MAX_CLUSTERS } from "../../domain/limits";

// One read of the revisions per request, however many plans it lists.
const revisionsOfRequest = new WeakMap<GraphQLContext, ReturnType<typeof dataRevisions>>();
function revisions(ctx: GraphQLContext): ReturnType<typeof dataRevisions> {
  let r = revisionsOfRequest.get(ctx);
  if (!r) revisionsOfRequest.set(ctx, (r = dataRevisions(ctx.pool)));
  return r;
}

const optionalId = (value: string | null | undefined, field: string) =>
  value != null ? parseId(value, field) : undefined;

function kpisOf(plan: PlanModel): PlanKpis | null {
  if (plan.status !== "SUCCEEDED" || !plan.kpis) return null;
  const k = storedKpis(plan.kpis);
  return {
    expectedReturn: k.expectedReturn ?? 0,
    cost: k.cost ?? 0,
    roi: k.cost ? (k.roi ?? null) : null,
    contacts: k.contacts ?? 0,
    contactsByChannel: Object.entries(k.contactsByChannel ?? {}).map(([channelId, contacts]) => ({
      channelId,
      contacts,
    })),
    upperBound: k.upperBound ?? null,
    gap: k.gap ?? null,
    baselineExpectedReturn: k.baseline?.expectedReturn ?? null,
    baselineCost: k.baseline?.cost ?? null,
    control: k.control ? { share: k.controlShare ?? 0, ...k.control } : null,
  };
}

function timingsOf(plan: PlanModel): PlanTimings | null {
  if (!plan.timings) return null;
  const t = plan.timings as Record<string, number>;
  const optimize = t.total ?? 0;
  return {
    load: t.load ?? null,
    cluster: t.cluster ?? null,
    solve: t.cluster_lp ?? t.exact ?? null,
    disaggregate: t.disaggregate ?? null,
    write: t.write ?? null,
    total: (t.load ?? 0) + optimize + (t.write ?? 0),
    phases: t,
  };
}

async function planOrThrow(ctx: GraphQLContext, id: number): Promise<PlanModel> {
  const plan = await ctx.loaders.plan.load(id);
  if (!plan) throw new NotFoundError(`plan ${id} does not exist`);
  return plan;
}

/** SQL conditions on plan_assignment `a` (and customer `c`) for an AssignmentFilter. */
async function assignmentConditions(
  ctx: GraphQLContext,
  filter: AssignmentFilter | null | undefined,
  params: unknown[],
): Promise<{ where: string[]; joinCustomer: boolean }> {
  const where: string[] = [];
  if (!filter) return { where, joinCustomer: false };
  const catalog = await ctx.loaders.catalog();
  if (filter.offerId != null) {
    const o = catalog.offerByExternalId.get(filter.offerId);
    if (!o) throw new InputError("filter.offerId", `unknown offer "${filter.offerId}"`);
    params.push(o.dbId);
    where.push(`a.offer_id = $${params.length}`);
  }
  if (filter.channelId != null) {
    const c = catalog.channelByExternalId.get(filter.channelId);
    if (!c) throw new InputError("filter.channelId", `unknown channel "${filter.channelId}"`);
    params.push(c.dbId);
    where.push(`a.channel_id = $${params.length}`);
  }
  if (filter.group != null) {
    params.push(filter.group.toLowerCase());
    where.push(`a."group" = $${params.length}`);
  }
  if (filter.segment != null) {
    params.push(filter.segment);
    where.push(`c.segment = $${params.length}`);
  }
  return { where, joinCustomer: filter.segment != null };
}

async function assignmentTotal(
  ctx: GraphQLContext,
  planId: number,
  filter: AssignmentFilter | null | undefined,
): Promise<number> {
  // The summary holds treatment rows only; a control-group count reads the partition.
  if (filter?.group !== "CONTROL") {
    const catalog = await ctx.loaders.catalog();
    const offer = filter?.offerId != null ? catalog.offerByExternalId.get(filter.offerId) : null;
    const channel =
      filter?.channelId != null ? catalog.channelByExternalId.get(filter.channelId) : null;
    const rows = await ctx.loaders.summary.load(planId);
    return rows
      .filter(
        (r) =>
          (!offer || r.offerDbId === offer.dbId) &&
          (!channel || r.channelDbId === channel.dbId) &&
          (filter?.segment == null || r.segment === filter.segment),
      )
      .reduce((n, r) => n + r.contacts, 0);
  }
  const params: unknown[] = [planId];
  const { where, joinCustomer } = await assignmentConditions(ctx, filter, params);
  const res = await ctx.pool.query<{ n: number }>(
    `SELECT count(*)::int AS n FROM plan_assignment a
     ${joinCustomer ? "JOIN customer c ON c.id = a.customer_id" : ""}
     WHERE a.plan_id = $1 ${where.map((w) => `AND ${w}`).join(" ")}`,
    params,
  );
  return res.rows[0]!.n;
}

const num = (v: unknown) => Number(v);

export const planResolvers: Resolvers = {
  Query: {
    plans: async (_p, { filter, first, after }, ctx) => {
      const size = pageSize(first, 20, ctx.budget, "plans");
      const cursor = decodeCursor(after, ["int"]);
      const where: Prisma.PlanWhereInput = {};
      if (filter?.status?.length) where.status = { in: filter.status };
      if (filter?.method) where.method = filter.method;
      if (filter?.constraintSetVersionId != null)
        where.constraintSetVersionId = parseId(
          filter.constraintSetVersionId,
          "filter.constraintSetVersionId",
        );
      if (filter?.constraintSetId != null)
        where.constraintSetVersion = {
          constraintSetId: parseId(filter.constraintSetId, "filter.constraintSetId"),
        };
      const [rows, totalCount] = await Promise.all([
        ctx.prisma.plan.findMany({
          where: cursor ? { ...where, id: { lt: cursor[0] as number } } : where,
          orderBy: { id: "desc" },
          take: size + 1,
        }),
        ctx.prisma.plan.count({ where }),
      ]);
      for (const p of rows) ctx.loaders.plan.prime(p.id, p);
      return { ...toPage(rows, size, (p) => [p.id]), totalCount };
    },
    plan: (_p, { id }, ctx) => ctx.loaders.plan.load(parseId(id, "id")),
  },
  Mutation: {
    runPlan: async (_p, { input }, ctx) => {
      requireRole(ctx.caller, "ANALYST");
      const versionId = await versionToRun(ctx, input);
      if (input.clusters != null && (input.clusters < 1 || input.clusters > MAX_CLUSTERS))
        throw new InputError("input.clusters", `must be from 1 to ${MAX_CLUSTERS}`);
      const created = await createPlan(
        ctx.prisma,
        versionId,
        {
          method: (input.method ?? "CLUSTER_LP") as Method,
          clusters: input.clusters ?? undefined,
          disaggregation: (input.disaggregation ?? "GREEDY") as Disaggregation,
          seed: input.seed ?? 1,
          overrides: input.overrides ? contractJson(input.overrides) : undefined,
          controlShare: input.controlShare ?? undefined,
          calibrationId:
            input.calibrationId != null
              ? parseId(input.calibrationId, "input.calibrationId")
              : undefined,
          campaignDate: input.campaignDate ?? undefined,
          warmStartFrom: optionalId(input.warmStartFrom, "input.warmStartFrom"),
        },
        { requestedBy: ctx.caller.name, enqueue: true },
      );
      ctx.log.info({ planId: created.id, versionId }, "plan queued");
      return created.row;
    },
    replayPlan: async (_p, { id }, ctx) => {
      requireRole(ctx.caller, "ANALYST");
      const created = await replayPlan(ctx.prisma, ctx.pool, parseId(id, "id"), {
        requestedBy: ctx.caller.name,
        enqueue: true,
      });
      ctx.log.info({ planId: created.id, replayOf: id }, "replay queued");
      return created.row;
    },
    cancelPlan: async (_p, { id }, ctx) => {
      requireRole(ctx.caller, "ANALYST");
      const plan = await cancelPlan(ctx.prisma, parseId(id, "id"));
      ctx.log.info({ planId: plan.id }, "plan cancelled");
      return plan;
    },
  },
  Plan: {
    ...planResultsResolvers,
    ...planHistoryResolvers,
    id: (p) => String(p.id),
    overrides: (p) => (p.parameters as { overrides?: Record<string, unknown> }).overrides ?? null,
    parameters: (p) => {
      const params = p.parameters as Record<string, unknown>;
      return {
        method: p.method,
        clusters: typeof params.clusters === "number" ? params.clusters : null,
        disaggregation:
          typeof params.disaggregation === "string"
            ? (params.disaggregation as Disaggregation)
            : null,
        seed: typeof params.seed === "number" ? params.seed : null,
        controlShare: typeof params.controlShare === "number" ? params.controlShare : null,
        calibrationId:
          typeof params.calibrationId === "number" ? String(params.calibrationId) : null,
        campaignDate: typeof params.campaignDate === "string" ? params.campaignDate : null,
        warmStartFrom:
          typeof params.warmStartFrom === "number" ? String(params.warmStartFrom) : null,
      };
    },
    provenance: async (p, _a, ctx) => {
      const stored = storedProvenance(p.provenance);
      const effective = stored?.effective;
      const warm = (p.parameters as { warmStartFrom?: number }).warmStartFrom;
      const now = await revisions(ctx);
      return {
        datasetRevision: p.datasetRevision === null ? null : Number(p.datasetRevision),
        historyRevision: p.historyRevision === null ? null : Number(p.historyRevision),
        stale: p.datasetRevision !== null && replayBlocker(p, now) !== null,
        fingerprint: p.fingerprint,
        softwareVersion: stored?.softwareVersion ?? null,
        clusters: effective?.clusters ?? null,
        dualPasses: effective?.dualPasses ?? null,
        solver: effective?.solver ?? null,
        threads: effective?.threads ?? null,
        warmStartFrom: warm !== undefined ? await ctx.loaders.plan.load(warm) : null,
      };
    },
    failedInPhase: (p) => p.failedInPhase,
    replayOf: (p, _a, ctx) => (p.replayOfId === null ? null : ctx.loaders.plan.load(p.replayOfId)),
    replayMatches: async (p, _a, ctx) => {
      if (p.replayOfId === null || p.status !== "SUCCEEDED") return null;
      const source = await ctx.loaders.plan.load(p.replayOfId);
      return source?.fingerprint ? source.fingerprint === p.fingerprint : null;
    },
    constraintSetVersion: async (p, _a, ctx) =>
      (await ctx.loaders.version.load(p.constraintSetVersionId))!,
    kpis: (p) => kpisOf(p),
    timings: (p) => timingsOf(p),
    clusters: async (p, { first, after }, ctx) => {
      const size = pageSize(first, 100, ctx.budget, "Plan.clusters");
      const cursor = decodeCursor(after, ["int"]);
      const [rows, count] = await Promise.all([
        ctx.pool.query<{
          index: number;
          segment: string | null;
          size: number;
          meanReturn: number;
          meanCost: number;
          centroid: number[] | null;
        }>(
          `SELECT cluster_index AS index, segment, size, mean_return AS "meanReturn",
                  mean_cost AS "meanCost", centroid
           FROM plan_cluster WHERE plan_id = $1 AND cluster_index > $2
           ORDER BY cluster_index LIMIT $3`,
          [p.id, cursor ? cursor[0] : -1, size + 1],
        ),
        ctx.pool.query<{ n: number }>(
          "SELECT count(*)::int AS n FROM plan_cluster WHERE plan_id = $1",
          [p.id],
        ),
      ]);
      return { ...toPage(rows.rows, size, (c) => [c.index]), totalCount: count.rows[0]!.n };
    },
    proportions: async (p, { cluster, first, after }, ctx) => {
      const size = pageSize(first, 100, ctx.budget, "Plan.proportions");
      const cursor = decodeCursor(after, ["int", "int", "int"]) ?? [-1, -1, -1];
      const params: unknown[] = [p.id, cursor[0], cursor[1], cursor[2], size + 1];
      let extra = "";
      if (cluster != null) {
        params.push(cluster);
        extra = `AND cluster_index = $${params.length}`;
      }
      const rows = await ctx.pool.query<ProportionModel>(
        `SELECT cluster_index AS cluster, offer_id AS "offerDbId", channel_id AS "channelDbId",
                proportion, customers
         FROM plan_proportion
         WHERE plan_id = $1 AND (cluster_index, offer_id, channel_id) > ($2, $3, $4) ${extra}
         ORDER BY cluster_index, offer_id, channel_id LIMIT $5`,
        params,
      );
      return toPage(rows.rows, size, (r) => [r.cluster, r.offerDbId, r.channelDbId]);
    },
    assignments: async (p, { first, after, filter }, ctx) => {
      const size = pageSize(first, 100, ctx.budget, "Plan.assignments");
      const cursor = decodeCursor(after, ["int", "int"]) ?? [-1, -1];
      const params: unknown[] = [p.id, cursor[0], cursor[1], size + 1];
      const { where, joinCustomer } = await assignmentConditions(ctx, filter, params);
      const [rows, totalCount] = await Promise.all([
        ctx.pool.query<AssignmentModel>(
          `SELECT a.plan_id AS "planId", a.customer_id AS "customerDbId", a.offer_id AS "offerDbId",
                  a.channel_id AS "channelDbId", a.expected_return AS "expectedReturn", a.cost,
                  upper(a."group") AS "group", a.wave
           FROM plan_assignment a
           ${joinCustomer ? "JOIN customer c ON c.id = a.customer_id" : ""}
           WHERE a.plan_id = $1 AND (a.customer_id, a.offer_id) > ($2, $3)
                 ${where.map((w) => `AND ${w}`).join(" ")}
           ORDER BY a.customer_id, a.offer_id LIMIT $4`,
          params,
        ),
        assignmentTotal(ctx, p.id, filter),
      ]);
      return {
        ...toPage(rows.rows, size, (a) => [a.customerDbId, a.offerDbId]),
        totalCount,
      };
    },
    constraintReport: (p, _a, ctx) => ctx.loaders.constraintReport.load(p.id),
    offerChannelFrequencies: async (p, _a, ctx) => {
      const rows = await ctx.loaders.summary.load(p.id);
      const cells = new Map<
        string,
        {
          offerDbId: number;
          channelDbId: number;
          contacts: number;
          expectedReturn: number;
          cost: number;
        }
      >();
      let total = 0;
      for (const r of rows) {
        const key = `${r.offerDbId}:${r.channelDbId}`;
        const cell = cells.get(key) ?? {
          offerDbId: r.offerDbId,
          channelDbId: r.channelDbId,
          contacts: 0,
          expectedReturn: 0,
          cost: 0,
        };
        cell.contacts += r.contacts;
        cell.expectedReturn += num(r.expectedReturn);
        cell.cost += num(r.cost);
        cells.set(key, cell);
        total += r.contacts;
      }
      const { offers, channels } = await ctx.loaders.catalog();
      return [...cells.values()]
        .map((c) => ({ ...c, share: total ? c.contacts / total : 0 }))
        .sort(
          (a, b) =>
            offers.get(a.offerDbId)!.id.localeCompare(offers.get(b.offerDbId)!.id) ||
            channels.get(a.channelDbId)!.id.localeCompare(channels.get(b.channelDbId)!.id),
        );
    },
    channelProfitability: async (p, _a, ctx) => {
      const rows = await ctx.loaders.summary.load(p.id);
      const { channelList } = await ctx.loaders.catalog();
      return channelList.map((ch) => {
        let contacts = 0;
        let expectedReturn = 0;
        let cost = 0;
        for (const r of rows) {
          if (r.channelDbId !== ch.dbId) continue;
          contacts += r.contacts;
          expectedReturn += num(r.expectedReturn);
          cost += num(r.cost);
        }
        const profit = expectedReturn - cost;
        return {
          channelDbId: ch.dbId,
          contacts,
          expectedReturn,
          cost,
          profit,
          roi: cost ? profit / cost : null,
        };
      });
    },
    segmentSummary: async (p, _a, ctx) => {
      const rows = await ctx.loaders.summary.load(p.id);
      const bySegment = new Map<
        string,
        { contacts: number; expectedReturn: number; cost: number }
      >();
      for (const r of rows) {
        const s = bySegment.get(r.segment) ?? { contacts: 0, expectedReturn: 0, cost: 0 };
        s.contacts += r.contacts;
        s.expectedReturn += num(r.expectedReturn);
        s.cost += num(r.cost);
        bySegment.set(r.segment, s);
      }
      return [...bySegment.entries()]
        .sort(([a], [b]) => a.localeCompare(b))
        .map(([segment, s]) => ({
          segment,
          ...s,
          roi: s.cost ? (s.expectedReturn - s.cost) / s.cost : null,
        }));
    },
  },
  Proportion: {
    offer: async (r, _a, ctx) => (await ctx.loaders.catalog()).offers.get(r.offerDbId)!,
    channel: async (r, _a, ctx) => (await ctx.loaders.catalog()).channels.get(r.channelDbId)!,
  },
  Assignment: {
    customer: async (a, _a, ctx) => (await ctx.loaders.customer.load(a.customerDbId))!,
    offer: async (a, _a, ctx) => (await ctx.loaders.catalog()).offers.get(a.offerDbId)!,
    channel: async (a, _a, ctx) => (await ctx.loaders.catalog()).channels.get(a.channelDbId)!,
  },
  CustomerPlanAssignment: {
    plan: (a, _a, ctx) => planOrThrow(ctx, a.planId),
    offer: async (a, _a, ctx) => (await ctx.loaders.catalog()).offers.get(a.offerDbId)!,
    channel: async (a, _a, ctx) => (await ctx.loaders.catalog()).channels.get(a.channelDbId)!,
  },
  OfferChannelFrequency: {
    offer: async (r, _a, ctx) => (await ctx.loaders.catalog()).offers.get(r.offerDbId)!,
    channel: async (r, _a, ctx) => (await ctx.loaders.catalog()).channels.get(r.channelDbId)!,
  },
  ChannelProfitability: {
    channel: async (r, _a, ctx) => (await ctx.loaders.catalog()).channels.get(r.channelDbId)!,
  },
};

/** The version a run uses: the given version, or the latest of the given (unarchived) set. */
export async function versionToRun(
  ctx: GraphQLContext,
  input: { constraintSetId?: string | null; constraintSetVersionId?: string | null },
): Promise<number> {
  if ((input.constraintSetId == null) === (input.constraintSetVersionId == null))
    throw new InputError(
      "input.constraintSetId",
      "give exactly one of constraintSetId or constraintSetVersionId",
    );
  if (input.constraintSetVersionId != null) {
    const id = parseId(input.constraintSetVersionId, "input.constraintSetVersionId");
    const v = await ctx.loaders.version.load(id);
    if (!v) throw new NotFoundError(`constraint-set version ${id} does not exist`);
    return id;
  }
  const setId = parseId(input.constraintSetId!, "input.constraintSetId");
  const set = await ctx.loaders.constraintSet.load(setId);
  if (!set) throw new NotFoundError(`constraint set ${setId} does not exist`);
  if (set.archivedAt) throw new ConflictError(`constraint set ${setId} is archived`);
  const versions = await ctx.loaders.versionsBySet.load(setId);
  return versions[0]!.id;
}
