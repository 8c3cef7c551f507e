// comparePlans: what changed between two plans.
import { NotFoundError } from "../../services/errors";
import type { Resolvers } from "../__generated__/resolvers";
import { parseId } from "../pagination";

export const comparisonResolvers: Resolvers = {
  Query: {
    comparePlans: async (_p, { a, b }, ctx) => {
      const [pa, pb] = await Promise.all([
        ctx.loaders.plan.load(parseId(a, "a")),
        ctx.loaders.plan.load(parseId(b, "b")),
      ]);
      if (!pa) throw new NotFoundError(`plan ${a} does not exist`);
      if (!pb) throw new NotFoundError(`plan ${b} does not exist`);
      return { a: pa, b: pb };
    },
  },
  PlanComparison: {
    kpiDeltas: () => [],
    offerChannelDeltas: () => [],
    changedCustomerCount: () => 0,
    changedCustomers: () => ({ edges: [], pageInfo: { hasNextPage: false, endCursor: null } }),
    dualChanges: () => [],
  },
};
