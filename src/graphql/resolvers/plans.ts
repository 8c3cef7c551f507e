// Plans: list, run, cancel, and everything read from a stored plan. Reports come from the
// per-plan tables written in the plan's transaction (summary, constraint report), never from a
// scan of its assignments; assignment pages are keyset reads of the plan's own partition.
import { storedKpis } from "../../domain/stored-kpis";
import type { Disaggregation, Method } from "../../optimize/types";
import { ConflictError, InputError, NotFoundError } from "../../services/errors";
import {
  cancelPlan,
  createPlan,
  dataRevisions,
  replayBlocker,
  replayPlan,
} from "../../services/plans";
import {
  assignmentConditions,
  assignmentPage,
  assignmentSortKey,
  countAssignments,
  listPlans,
  type AssignmentConditions,
  planClusters,
  planProportions,
  planSortKey,
} from "../../services/plan-reads";
import { storedProvenance } from "../../domain/stored-provenance";
import { storedPlanParameters } from "../../domain/stored-parameters";
import { storedTimings } from "../../domain/stored-timings";
import { requireRole } from "../../auth";
import { approvalRequired, approvePlan, deletePlan } from "../../services/plan-admin";
import type { PlanKpis, PlanTimings, Resolvers } from "../__generated__/resolvers";
import { channelByExternalId } from "../catalog-lookup";
import { constraintKind, planPhase } from "../enums";
import { dbOf, type GraphQLContext } from "../context";
import type { ChannelContactsModel, PlanModel } from "../models";

type PlanKpisModel = Omit<PlanKpis, "contactsByChannel"> & {
  contactsByChannel: ChannelContactsModel[];
};
import { contractJson } from "./constraint-sets";
import { planResultsResolvers } from "./results";
import { planHistoryResolvers } from "./history";
import { globalId, keyOf, parseId, type NodeType } from "../global-id";
import { orderName, pageRequest, toPage, type CursorPart, type ListOrder } from "../pagination";

const CLUSTER_ORDER: ListOrder = { name: "INDEX:ASC", key: ["int"] };
const PROPORTION_ORDER: ListOrder = { name: "CLUSTER:ASC", key: ["int", "int", "int"] };
import { MAX_CLUSTERS } from "../../domain/limits";

// One read of the revisions per request, however many plans it lists.
const revisionsOfRequest = new WeakMap<GraphQLContext, ReturnType<typeof dataRevisions>>();
function revisions(ctx: GraphQLContext): ReturnType<typeof dataRevisions> {
  let r = revisionsOfRequest.get(ctx);
  if (!r) revisionsOfRequest.set(ctx, (r = dataRevisions(ctx.pool)));
  return r;
}

const optionalId = (value: string | null | undefined, field: string, type: NodeType) =>
  value != null ? parseId(value, field, type) : undefined;

function kpisOf(plan: PlanModel): PlanKpisModel | null {
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
  const t = storedTimings(plan.timings);
  if (!t) return null;
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

async function assignmentTotal(
  ctx: GraphQLContext,
  planId: number,
  c: AssignmentConditions,
): Promise<number> {
  // The summary holds treatment rows only; a control-group count reads the partition.
  if (c.group !== "CONTROL") {
    const rows = await ctx.loaders.summary.load(planId);
    return rows
      .filter(
        (r) =>
          (c.offerDbId === undefined || r.offerDbId === c.offerDbId) &&
          (c.channelDbId === undefined || r.channelDbId === c.channelDbId) &&
          (c.segment === undefined || r.segment === c.segment),
      )
      .reduce((n, r) => n + r.contacts, 0);
  }
  return countAssignments(ctx.pool, planId, c);
}

const num = (v: unknown) => Number(v);

/** The caller as the audit trail names it. */
export const actorOf = (ctx: GraphQLContext) => ({
  name: ctx.caller.name,
  keyId: ctx.caller.keyId,
});

export const planResolvers: Resolvers = {
  Query: {
    plans: async (_p, { filter, orderBy, ...args }, ctx) => {
      const order = orderBy ?? { field: "CREATED_AT", direction: "DESC" };
      const key: CursorPart[] = [order.field === "CREATED_AT" ? "date" : "int", "int"];
      const req = pageRequest(args, { name: orderName(order), key }, ctx.budget, "Query.plans");
      const { rows, totalCount } = await listPlans(
        ctx.pool,
        {
          status: filter?.status?.length ? filter.status : undefined,
          method: filter?.method ?? undefined,
          constraintSetVersionId: optionalId(
            filter?.constraintSetVersionId,
            "filter.constraintSetVersionId",
            "ConstraintSetVersion",
          ),
          constraintSetId: optionalId(
            filter?.constraintSetId,
            "filter.constraintSetId",
            "ConstraintSet",
          ),
        },
        { field: order.field, descending: order.direction === "DESC" },
        req,
      );
      for (const p of rows) ctx.loaders.plan.prime(p.id, p);
      return { ...toPage(rows, req, (p) => planSortKey(p, order.field)), totalCount };
    },
    plan: (_p, { id }, ctx) => ctx.loaders.plan.load(parseId(id, "id", "Plan")),
  },
  Mutation: {
    runPlan: async (_p, { input }, ctx) => {
      requireRole(ctx.caller, "ANALYST");
      const versionId = await versionToRun(ctx, input);
      if (input.clusters != null && (input.clusters < 1 || input.clusters > MAX_CLUSTERS))
        throw new InputError("input.clusters", `must be from 1 to ${MAX_CLUSTERS}`);
      const created = await createPlan(
        dbOf(ctx),
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
              ? parseId(input.calibrationId, "input.calibrationId", "ScoreCalibration")
              : undefined,
          campaignDate: input.campaignDate ?? undefined,
          warmStartFrom: optionalId(input.warmStartFrom, "input.warmStartFrom", "Plan"),
          threads: input.threads ?? undefined,
        },
        {
          requestedBy: ctx.caller.name,
          actor: actorOf(ctx),
          name: input.name ?? undefined,
          notes: input.notes ?? undefined,
          basePlanId: optionalId(input.basePlanId, "input.basePlanId", "Plan"),
          enqueue: true,
        },
      );
      ctx.log.info({ planId: created.id, versionId }, "plan queued");
      return created.row;
    },
    replayPlan: async (_p, { id }, ctx) => {
      requireRole(ctx.caller, "ANALYST");
      const created = await replayPlan(dbOf(ctx), parseId(id, "id", "Plan"), {
        requestedBy: ctx.caller.name,
        actor: actorOf(ctx),
        enqueue: true,
      });
      ctx.log.info({ planId: created.id, replayOf: id }, "replay queued");
      return created.row;
    },
    cancelPlan: async (_p, { id }, ctx) => {
      requireRole(ctx.caller, "ANALYST");
      const plan = await cancelPlan(dbOf(ctx), parseId(id, "id", "Plan"), actorOf(ctx));
      ctx.log.info({ planId: plan.id }, "plan cancelled");
      return plan;
    },
    approvePlan: async (_p, { id }, ctx) => {
      requireRole(ctx.caller, "ADMIN");
      const plan = await approvePlan(dbOf(ctx), parseId(id, "id", "Plan"), actorOf(ctx));
      ctx.log.info({ planId: plan.id }, "plan approved");
      return plan;
    },
    deletePlan: async (_p, { id }, ctx) => {
      requireRole(ctx.caller, "ADMIN");
      const planId = parseId(id, "id", "Plan");
      await deletePlan(ctx.pool, planId, actorOf(ctx));
      ctx.loaders.plan.clear(planId);
      ctx.log.info({ planId }, "plan deleted");
      return globalId("Plan", planId);
    },
  },
  Plan: {
    ...planResultsResolvers,
    ...planHistoryResolvers,
    id: (p) => globalId("Plan", p.id),
    approvalRequired: () => approvalRequired(),
    overrides: (p) => storedPlanParameters(p.parameters).overrides ?? null,
    parameters: (p) => {
      const params = storedPlanParameters(p.parameters);
      return {
        method: p.method,
        clusters: params.clusters ?? null,
        disaggregation: params.disaggregation ?? null,
        seed: params.seed ?? null,
        controlShare: params.controlShare ?? null,
        calibrationId:
          params.calibrationId !== undefined
            ? globalId("ScoreCalibration", params.calibrationId)
            : null,
        campaignDate: params.campaignDate ?? null,
        warmStartFrom:
          params.warmStartFrom !== undefined ? globalId("Plan", params.warmStartFrom) : null,
      };
    },
    provenance: async (p, _a, ctx) => {
      const stored = storedProvenance(p.provenance);
      const effective = stored?.effective;
      const warm = storedPlanParameters(p.parameters).warmStartFrom;
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
    phase: (p) => planPhase(p.phase),
    failedInPhase: (p) => planPhase(p.failedInPhase),
    replayOf: (p, _a, ctx) => (p.replayOfId === null ? null : ctx.loaders.plan.load(p.replayOfId)),
    basePlan: (p, _a, ctx) => (p.basePlanId === null ? null : ctx.loaders.plan.load(p.basePlanId)),
    replayMatches: async (p, _a, ctx) => {
      if (p.replayOfId === null || p.status !== "SUCCEEDED") return null;
      const source = await ctx.loaders.plan.load(p.replayOfId);
      return source?.fingerprint ? source.fingerprint === p.fingerprint : null;
    },
    constraintSetVersion: async (p, _a, ctx) =>
      (await ctx.loaders.version.load(p.constraintSetVersionId))!,
    kpis: (p) => kpisOf(p),
    timings: (p) => timingsOf(p),
    clusters: async (p, args, ctx) => {
      const req = pageRequest(args, CLUSTER_ORDER, ctx.budget, "Plan.clusters");
      const { rows, totalCount } = await planClusters(ctx.pool, p.id, req);
      return { ...toPage(rows, req, (c) => [c.index]), totalCount };
    },
    proportions: async (p, { cluster, ...args }, ctx) => {
      const req = pageRequest(args, PROPORTION_ORDER, ctx.budget, "Plan.proportions");
      const { rows, totalCount } = await planProportions(ctx.pool, p.id, req, cluster ?? null);
      return {
        ...toPage(rows, req, (r) => [r.cluster, r.offerDbId, r.channelDbId]),
        totalCount,
      };
    },
    assignments: async (p, { filter, orderBy, ...args }, ctx) => {
      const order = orderBy ?? { field: "CUSTOMER", direction: "ASC" };
      const key: CursorPart[] =
        order.field === "CUSTOMER" ? ["int", "int"] : ["float", "int", "int"];
      const req = pageRequest(
        args,
        { name: orderName(order), key },
        ctx.budget,
        "Plan.assignments",
      );
      const conditions = await assignmentConditions(
        filter && {
          ...filter,
          offerId: filter.offerId != null ? keyOf(filter.offerId, "filter.offerId", "Offer") : null,
          channelId:
            filter.channelId != null
              ? keyOf(filter.channelId, "filter.channelId", "Channel")
              : null,
        },
        ctx.loaders.catalog,
      );
      const [rows, totalCount] = await Promise.all([
        assignmentPage(
          ctx.pool,
          p.id,
          { field: order.field, descending: order.direction === "DESC" },
          req,
          conditions,
        ),
        assignmentTotal(ctx, p.id, conditions),
      ]);
      return { ...toPage(rows, req, (a) => assignmentSortKey(a, order.field)), totalCount };
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
  ChannelContacts: {
    channel: (c, _a, ctx) => channelByExternalId(ctx, c.channelId),
  },
  ConstraintReportRow: {
    kind: (r) => constraintKind(r.kind),
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
    const id = parseId(
      input.constraintSetVersionId,
      "input.constraintSetVersionId",
      "ConstraintSetVersion",
    );
    const v = await ctx.loaders.version.load(id);
    if (!v) throw new NotFoundError(`constraint-set version ${id} does not exist`);
    return id;
  }
  const setId = parseId(input.constraintSetId!, "input.constraintSetId", "ConstraintSet");
  const set = await ctx.loaders.constraintSet.load(setId);
  if (!set) throw new NotFoundError(`constraint set ${setId} does not exist`);
  if (set.archivedAt) throw new ConflictError(`constraint set ${setId} is archived`);
  const versions = await ctx.loaders.versionsBySet.load(setId);
  return versions[0]!.id;
}
