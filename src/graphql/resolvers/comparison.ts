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
import { decodeCursor, pageSize, parseId, toPage } from "../pagination";

export const comparisonResolvers: Resolvers = {
  Query: {
    comparePlans: async (_p, { a, b }, ctx) => {
      const [pa, pb] = await Promise.all([
        ctx.loaders.plan.load(parseId(a, "a")),
        ctx.loaders.plan.load(parseId(b, "b")),
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
    changedCustomers: async (c, { first, after }, ctx) => {
      const size = pageSize(first, 100, ctx.budget, "PlanComparison.changedCustomers");
      const cursor = decodeCursor(after, ["int"]);
      const rows = await changedCustomers(
        ctx.pool,
        c.a.id,
        c.b.id,
        cursor ? (cursor[0] as number) : 0,
        size + 1,
      );
      return toPage(rows, size, (r) => [r.customerDbId]);
    },
    dualChanges: (c, _a, ctx) => dualChanges(ctx.pool, c.a.id, c.b.id),
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
