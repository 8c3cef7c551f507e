// comparePlans: what changed between two plans. The numbers come from src/services/compare-plans;
// relations (customers, offers, channels) go through the request's DataLoaders.
import {
  changedCustomerCount,
  changedCustomers,
  dualChanges,
  kpiDeltas,
  offerChannelDeltas,
  requireComparable,
} from "../../services/compare-plans";
import { NotFoundError } from "../../services/errors";
import type { Resolvers } from "../__generated__/resolvers";
import { channelByExternalId } from "../catalog-lookup";
import { constraintKind } from "../enums";
import { parseId } from "../global-id";
import { pageRequest, toPage, type ListOrder } from "../pagination";

const CHANGED_ORDER: ListOrder = { name: "CUSTOMER:ASC", key: ["int"] };

export const comparisonResolvers: Resolvers = {
  Query: {
    comparePlans: async (_p, { a, b }, ctx) => {
      const [pa, pb] = await Promise.all([
        ctx.loaders.plan.load(parseId(a, "a", "Plan")),
        ctx.loaders.plan.load(parseId(b, "b", "Plan")),
      ]);
      if (!pa) throw new NotFoundError(`plan ${a} does not exist`);
      if (!pb) throw new NotFoundError(`plan ${b} does not exist`);
      requireComparable(pa, pb);
      return { a: pa, b: pb };
    },
  },
  PlanComparison: {
    kpiDeltas: (c) => kpiDeltas(c.a, c.b),
    offerChannelDeltas: (c, _a, ctx) => offerChannelDeltas(ctx.pool, c.a.id, c.b.id),
    changedCustomerCount: (c, _a, ctx) => changedCustomerCount(ctx.pool, c.a.id, c.b.id),
    changedCustomers: async (c, args, ctx) => {
      const req = pageRequest(args, CHANGED_ORDER, ctx.budget, "PlanComparison.changedCustomers");
      const [rows, totalCount] = await Promise.all([
        changedCustomers(ctx.pool, c.a.id, c.b.id, req),
        changedCustomerCount(ctx.pool, c.a.id, c.b.id),
      ]);
      return { ...toPage(rows, req, (r) => [r.customerDbId]), totalCount };
    },
    dualChanges: async (c, _a, ctx) =>
      (await dualChanges(ctx.pool, c.a.id, c.b.id)).map((d) => ({
        ...d,
        kind: constraintKind(d.kind),
      })),
  },
  ChannelContactsDelta: {
    channel: (d, _a, ctx) => channelByExternalId(ctx, d.channelId),
  },
  ChangedAssignment: {
    customer: async (r, _a, ctx) => (await ctx.loaders.customer.load(r.customerDbId))!,
  },
  OfferChannelPair: {
    offer: async (r, _a, ctx) => (await ctx.loaders.catalog()).offers.get(r.offerDbId)!,
    channel: async (r, _a, ctx) => (await ctx.loaders.catalog()).channels.get(r.channelDbId)!,
  },
  OfferChannelDelta: {
    offer: async (r, _a, ctx) => (await ctx.loaders.catalog()).offers.get(r.offerDbId)!,
    channel: async (r, _a, ctx) => (await ctx.loaders.catalog()).channels.get(r.channelDbId)!,
  },
};
